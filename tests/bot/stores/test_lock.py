import subprocess
import sys

import pytest

from bot.stores.tinydb.lock import AlreadyRunning, InstanceLock


def test_a_second_bot_on_the_same_database_refuses_to_start(tmp_path):
    db = tmp_path / "chibo.json"
    first = InstanceLock(db).acquire()
    # a second process, as a second `chibo run` would be
    code = (
        "import sys; from bot.stores.tinydb.lock import InstanceLock, AlreadyRunning\n"
        f"try:\n    InstanceLock(__import__('pathlib').Path({str(db)!r})).acquire()\n"
        "except AlreadyRunning as e:\n    print(e); sys.exit(3)\n"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert other.returncode == 3
    assert "hai bot cùng chạy sẽ nhắc trùng" in other.stdout
    with pytest.raises(AlreadyRunning):
        InstanceLock(db).acquire()
    first.release()
    InstanceLock(db).acquire().release()  # free again once the first bot stops
