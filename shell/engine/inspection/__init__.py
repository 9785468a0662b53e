"""What ``obj?`` and ``obj??`` show (:mod:`.object_info`), including where a class typed in a
cell is defined (:mod:`.class_source`)."""
