import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Photos go to a temporary MEDIA_ROOT, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


class Events(list):
    def named(self, name: str) -> list[dict]:
        return [payload for event, payload in self if event == name]


@pytest.fixture
def events(monkeypatch):
    """Every event the reports services publish, in order, as (name, payload)."""
    import importlib
    import pkgutil

    from zhengwei.reports import services

    recorder = Events()
    for info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"{services.__name__}.{info.name}")
        if hasattr(module, "publish_on_commit"):
            monkeypatch.setattr(
                module,
                "publish_on_commit",
                lambda name, **payload: recorder.append((name, payload)),
            )
    return recorder
