"""A thread's switch (home/switches.py): what the draft-only saves, the fallback copies and
the bulk commands' queued work rely on."""

import threading

from home.switches import ThreadSwitch


def test_a_switch_is_on_inside_its_block_and_off_after_it_even_after_an_error():
    switch = ThreadSwitch()
    assert not switch
    with switch.on():
        assert switch
    assert not switch
    try:
        with switch.on():
            raise ValueError
    except ValueError:
        pass
    assert not switch


def test_a_nested_block_gives_back_the_state_it_found():
    switch = ThreadSwitch()
    with switch.on():
        with switch.on():
            assert switch
        assert switch  # still inside the outer block
    assert not switch


def test_a_switch_holds_for_its_own_thread_only():
    switch = ThreadSwitch()
    seen = []
    with switch.on():
        other = threading.Thread(target=lambda: seen.append(bool(switch)))
        other.start()
        other.join()
        assert switch
    assert seen == [False]
