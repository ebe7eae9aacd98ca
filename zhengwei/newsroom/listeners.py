"""What the newsroom hears from the layers below (subscribed from NewsroomConfig.ready)."""
