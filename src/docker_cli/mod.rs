//! Emulation of the docker command line: argument parsing and Docker's output formats.
