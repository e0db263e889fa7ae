"""An upload's reader ends itself at its deadline, even when no worker is left to end it."""

from __future__ import annotations

import time

from service.intake import import_runner


def test_a_reader_left_alone_ends_itself_just_after_its_deadline():
    rows = "".join(f"B{i},Shop {i},G,Chiang Mai\n" for i in range(100_000))  # seconds of reading
    files = [("businesses.csv", ("business_id,name,sector,province\n" + rows).encode())]
    receiver, sender = import_runner._CONTEXT.Pipe(duplex=False)
    reader = import_runner._CONTEXT.Process(
        target=import_runner._read, args=(sender, files, 0.2), daemon=True
    )
    started = time.monotonic()
    reader.start()  # and nobody waits for its answer, as after a worker was killed
    reader.join(timeout=30)
    assert not reader.is_alive()
    assert reader.exitcode == 1
    assert time.monotonic() - started < 10
    assert not receiver.poll(0)
