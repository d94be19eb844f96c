//! Points sampled for the checks.
