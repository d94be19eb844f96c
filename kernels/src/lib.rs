//! Compute kernels for the EASGD model (15) at LeNet size: CPU reference and wgpu backends (issue 5).
