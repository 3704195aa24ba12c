"""Read models built from the event log with the library's projection machinery: each
view is a ``TrackingRecorder`` (its rows and its position in one SQLite file), each
projection a library ``Projection`` that turns events into rows."""
