//! The checks (filled below).
