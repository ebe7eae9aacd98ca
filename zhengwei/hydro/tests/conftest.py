import pytest


@pytest.fixture(autouse=True)
def _rejects(settings, tmp_path):
    """Rejects files and the inbox go to a temporary folder, never into var/."""
    settings.HYDRO_REJECTS_DIR = str(tmp_path / "rejects")
    settings.HYDRO_INBOX = str(tmp_path / "inbox")


from zhengwei.hydro.tests.fixtures import flood  # noqa: E402,F401  (fixture)
