"""Programs a session runs and the process it lives in: ``!cmd`` and the script magics
(:mod:`.system`, :mod:`.output_pump`, :mod:`.slist`), children ended with their whole group
(:mod:`.process_group`, :mod:`.child_watchdog`), and file descriptors 0-2 kept usable
(:mod:`.standard_fds`)."""
