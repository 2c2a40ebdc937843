//! ARG/ENV scoping (placeholder, filled in below).
