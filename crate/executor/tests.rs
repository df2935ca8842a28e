//! Tests of the simulation on real stand-in images: the seeds' exact commands and the failure paths.
