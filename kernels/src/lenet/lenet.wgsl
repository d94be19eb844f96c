// LeNet-5 forward and backward in f32: one entry point per layer, direct loops (no
// im2col), every output element computed by one invocation as a gather (no atomics, no races),
// grid-stride loops so that any batch fits in the 65,535 workgroups of one dispatch.
//
// Layouts (sample-major, s < D.n): A holds a1 [s][20][24][24], p1 [s][20][12][12],
// a2 [s][50][8][8], p2 [s][800] (c·16 + y·4 + x), h [s][500], z [s][10]; I holds the routed
// window entry of pool 1 and pool 2 as an index local to the sample's map (or NONE); B holds
// dz, dh, dp2, da2, dp1, da1 with the layouts of their forward twins. The weight gradients are
// ADDED to G (the host clears G once per batch), so batches larger than the buffers run in chunks.
// Conventions as the CPU paths: first maximal window entry, ReLU'(0) = 0.

struct Dims {
    n: u32, n_in: u32, caffe: u32, max_n: u32,
    w_c1: u32, b_c1: u32, w_c2: u32, b_c2: u32,
    w_f1: u32, b_f1: u32, w_f2: u32, b_f2: u32,
    o_a1: u32, o_p1: u32, o_a2: u32, o_p2: u32,
    o_h: u32, o_z: u32, o_i1: u32, o_i2: u32,
    o_dz: u32, o_dh: u32, o_dp2: u32, o_da2: u32,
    o_dp1: u32, o_da1: u32, pad0: u32, pad1: u32,
};

@group(0) @binding(0) var<uniform> D: Dims;
@group(0) @binding(1) var<storage, read> W: array<f32>;
@group(0) @binding(2) var<storage, read_write> G: array<f32>;
@group(0) @binding(3) var<storage, read> X: array<f32>;
@group(0) @binding(4) var<storage, read_write> A: array<f32>;
@group(0) @binding(5) var<storage, read_write> I: array<u32>;
@group(0) @binding(6) var<storage, read_write> B: array<f32>;

const WG: u32 = 64u;
const NONE: u32 = 0xffffffffu;
// Elements per sample of a1, p1, a2, p2.
const NA1: u32 = 11520u;
const NP1: u32 = 2880u;
const NA2: u32 = 3200u;
const NP2: u32 = 800u;

// The input of the last FC layer: h (Caffe) or p2 (paper).
fn last_in() -> u32 {
    return select(D.o_p2, D.o_h, D.caffe == 1u);
}

@compute @workgroup_size(64)
fn conv1(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let total = D.n * NA1;
    for (var t = gid.x; t < total; t = t + nwg.x * WG) {
        let s = t / NA1;
        let r = t % NA1;
        let c = r / 576u;
        let y = (r % 576u) / 24u;
        let x = r % 24u;
        var acc = W[D.b_c1 + c];
        for (var ky = 0u; ky < 5u; ky = ky + 1u) {
            for (var kx = 0u; kx < 5u; kx = kx + 1u) {
                acc = acc + W[D.w_c1 + c * 25u + ky * 5u + kx] * X[s * 784u + (y + ky) * 28u + x + kx];
            }
        }
        A[D.o_a1 + t] = acc;
    }
}

struct Routed {
    idx: u32,
    v: f32,
};

// ReLU + 2×2 max-pool of the map at A[base ..] (side `side`), window top-left `l0` (local):
// the routed local index (NONE when the maximum is ≤ 0) and the value.
fn pool_window(base: u32, l0: u32, side: u32) -> Routed {
    var best = l0;
    var v = A[base + l0];
    var cand = array<u32, 3>(l0 + 1u, l0 + side, l0 + side + 1u);
    for (var q = 0u; q < 3u; q = q + 1u) {
        let w = A[base + cand[q]];
        if (w > v) {
            v = w;
            best = cand[q];
        }
    }
    if (v > 0.0) {
        return Routed(best, v);
    }
    return Routed(NONE, 0.0);
}

@compute @workgroup_size(64)
fn pool1(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let total = D.n * NP1;
    for (var t = gid.x; t < total; t = t + nwg.x * WG) {
        let s = t / NP1;
        let r = t % NP1;
        let c = r / 144u;
        let py = (r % 144u) / 12u;
        let px = r % 12u;
        let res = pool_window(D.o_a1 + s * NA1, c * 576u + 2u * py * 24u + 2u * px, 24u);
        I[D.o_i1 + t] = res.idx;
        A[D.o_p1 + t] = res.v;
    }
}

@compute @workgroup_size(64)
fn conv2(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let total = D.n * NA2;
    for (var t = gid.x; t < total; t = t + nwg.x * WG) {
        let s = t / NA2;
        let r = t % NA2;
        let c = r / 64u;
        let y = (r % 64u) / 8u;
        let x = r % 8u;
        var acc = W[D.b_c2 + c];
        for (var ci = 0u; ci < 20u; ci = ci + 1u) {
            for (var ky = 0u; ky < 5u; ky = ky + 1u) {
                for (var kx = 0u; kx < 5u; kx = kx + 1u) {
                    acc = acc + W[D.w_c2 + c * 500u + ci * 25u + ky * 5u + kx]
                        * A[D.o_p1 + s * NP1 + ci * 144u + (y + ky) * 12u + x + kx];
                }
            }
        }
        A[D.o_a2 + t] = acc;
    }
}

@compute @workgroup_size(64)
fn pool2(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let total = D.n * NP2;
    for (var t = gid.x; t < total; t = t + nwg.x * WG) {
        let s = t / NP2;
        let r = t % NP2;
        let c = r / 16u;
        let py = (r % 16u) / 4u;
        let px = r % 4u;
        let res = pool_window(D.o_a2 + s * NA2, c * 64u + 2u * py * 8u + 2u * px, 8u);
        I[D.o_i2 + t] = res.idx;
        A[D.o_p2 + t] = res.v;
    }
}

@compute @workgroup_size(64)
fn fc1(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let total = D.n * 500u;
    for (var t = gid.x; t < total; t = t + nwg.x * WG) {
        let s = t / 500u;
        let u = t % 500u;
        var acc = W[D.b_f1 + u];
        for (var i = 0u; i < 800u; i = i + 1u) {
            acc = acc + W[D.w_f1 + u * 800u + i] * A[D.o_p2 + s * NP2 + i];
        }
        A[D.o_h + t] = max(acc, 0.0);
    }
}

@compute @workgroup_size(64)
fn fc_last(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let total = D.n * 10u;
    let inp = last_in();
    for (var t = gid.x; t < total; t = t + nwg.x * WG) {
        let s = t / 10u;
        let k = t % 10u;
        var acc = W[D.b_f2 + k];
        for (var i = 0u; i < D.n_in; i = i + 1u) {
            acc = acc + W[D.w_f2 + k * D.n_in + i] * A[inp + s * D.n_in + i];
        }
        A[D.o_z + t] = acc;
    }
}

// G_W += dzᵀ·in, G_b += Σ dz (last FC layer).
@compute @workgroup_size(64)
fn g_last(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let nw = 10u * D.n_in;
    let inp = last_in();
    for (var t = gid.x; t < nw + 10u; t = t + nwg.x * WG) {
        if (t < nw) {
            let k = t / D.n_in;
            let i = t % D.n_in;
            var acc = 0.0;
            for (var s = 0u; s < D.n; s = s + 1u) {
                acc = acc + B[D.o_dz + s * 10u + k] * A[inp + s * D.n_in + i];
            }
            G[D.w_f2 + t] = G[D.w_f2 + t] + acc;
        } else {
            let k = t - nw;
            var acc = 0.0;
            for (var s = 0u; s < D.n; s = s + 1u) {
                acc = acc + B[D.o_dz + s * 10u + k];
            }
            G[D.b_f2 + k] = G[D.b_f2 + k] + acc;
        }
    }
}

// d_in = dz·W_last, through the ReLU of h (Caffe: into dh; paper: into dp2).
@compute @workgroup_size(64)
fn d_last(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let total = D.n * D.n_in;
    for (var t = gid.x; t < total; t = t + nwg.x * WG) {
        let s = t / D.n_in;
        let i = t % D.n_in;
        var acc = 0.0;
        for (var k = 0u; k < 10u; k = k + 1u) {
            acc = acc + B[D.o_dz + s * 10u + k] * W[D.w_f2 + k * D.n_in + i];
        }
        if (D.caffe == 1u) {
            B[D.o_dh + t] = select(0.0, acc, A[D.o_h + t] > 0.0);
        } else {
            B[D.o_dp2 + t] = acc;
        }
    }
}

// Caffe's FC 800→500: G_W += dhᵀ·p2, G_b += Σ dh.
@compute @workgroup_size(64)
fn g_fc1(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let nw = 500u * 800u;
    for (var t = gid.x; t < nw + 500u; t = t + nwg.x * WG) {
        if (t < nw) {
            let u = t / 800u;
            let i = t % 800u;
            var acc = 0.0;
            for (var s = 0u; s < D.n; s = s + 1u) {
                acc = acc + B[D.o_dh + s * 500u + u] * A[D.o_p2 + s * NP2 + i];
            }
            G[D.w_f1 + t] = G[D.w_f1 + t] + acc;
        } else {
            let u = t - nw;
            var acc = 0.0;
            for (var s = 0u; s < D.n; s = s + 1u) {
                acc = acc + B[D.o_dh + s * 500u + u];
            }
            G[D.b_f1 + u] = G[D.b_f1 + u] + acc;
        }
    }
}

// dp2 = dh·W_fc1 (Caffe).
@compute @workgroup_size(64)
fn d_fc1(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let total = D.n * NP2;
    for (var t = gid.x; t < total; t = t + nwg.x * WG) {
        let s = t / NP2;
        let i = t % NP2;
        var acc = 0.0;
        for (var u = 0u; u < 500u; u = u + 1u) {
            acc = acc + B[D.o_dh + s * 500u + u] * W[D.w_f1 + u * 800u + i];
        }
        B[D.o_dp2 + t] = acc;
    }
}

// da2: the routed entry of its pool-2 window gets dp2, the others 0.
@compute @workgroup_size(64)
fn d_pool2(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let total = D.n * NA2;
    for (var t = gid.x; t < total; t = t + nwg.x * WG) {
        let s = t / NA2;
        let r = t % NA2;
        let c = r / 64u;
        let y = (r % 64u) / 8u;
        let x = r % 8u;
        let j = s * NP2 + c * 16u + (y / 2u) * 4u + x / 2u;
        B[D.o_da2 + t] = select(0.0, B[D.o_dp2 + j], I[D.o_i2 + j] == r);
    }
}

// Conv 2: G_W[c][ci][ky][kx] += Σ_s Σ_yx da2·p1, G_b += Σ da2.
@compute @workgroup_size(64)
fn g_conv2(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let nw = 50u * 500u;
    for (var t = gid.x; t < nw + 50u; t = t + nwg.x * WG) {
        var acc = 0.0;
        if (t < nw) {
            let c = t / 500u;
            let q = t % 500u;
            let ci = q / 25u;
            let ky = (q % 25u) / 5u;
            let kx = q % 5u;
            for (var s = 0u; s < D.n; s = s + 1u) {
                for (var y = 0u; y < 8u; y = y + 1u) {
                    for (var x = 0u; x < 8u; x = x + 1u) {
                        acc = acc + B[D.o_da2 + s * NA2 + c * 64u + y * 8u + x]
                            * A[D.o_p1 + s * NP1 + ci * 144u + (y + ky) * 12u + x + kx];
                    }
                }
            }
            G[D.w_c2 + t] = G[D.w_c2 + t] + acc;
        } else {
            let c = t - nw;
            for (var s = 0u; s < D.n; s = s + 1u) {
                for (var q = 0u; q < 64u; q = q + 1u) {
                    acc = acc + B[D.o_da2 + s * NA2 + c * 64u + q];
                }
            }
            G[D.b_c2 + c] = G[D.b_c2 + c] + acc;
        }
    }
}

// dp1 = the transposed convolution of da2 with W_conv2 (a gather over (c, ky, kx)).
@compute @workgroup_size(64)
fn d_conv2(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let total = D.n * NP1;
    for (var t = gid.x; t < total; t = t + nwg.x * WG) {
        let s = t / NP1;
        let r = t % NP1;
        let ci = r / 144u;
        let yy = (r % 144u) / 12u;
        let xx = r % 12u;
        var acc = 0.0;
        for (var c = 0u; c < 50u; c = c + 1u) {
            for (var ky = 0u; ky < 5u; ky = ky + 1u) {
                if (yy < ky || yy - ky >= 8u) {
                    continue;
                }
                for (var kx = 0u; kx < 5u; kx = kx + 1u) {
                    if (xx < kx || xx - kx >= 8u) {
                        continue;
                    }
                    acc = acc + B[D.o_da2 + s * NA2 + c * 64u + (yy - ky) * 8u + xx - kx]
                        * W[D.w_c2 + c * 500u + ci * 25u + ky * 5u + kx];
                }
            }
        }
        B[D.o_dp1 + t] = acc;
    }
}

// da1: the routed entry of its pool-1 window gets dp1, the others 0.
@compute @workgroup_size(64)
fn d_pool1(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let total = D.n * NA1;
    for (var t = gid.x; t < total; t = t + nwg.x * WG) {
        let s = t / NA1;
        let r = t % NA1;
        let c = r / 576u;
        let y = (r % 576u) / 24u;
        let x = r % 24u;
        let j = s * NP1 + c * 144u + (y / 2u) * 12u + x / 2u;
        B[D.o_da1 + t] = select(0.0, B[D.o_dp1 + j], I[D.o_i1 + j] == r);
    }
}

// Conv 1: G_W[c][ky][kx] += Σ_s Σ_yx da1·x, G_b += Σ da1.
@compute @workgroup_size(64)
fn g_conv1(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    for (var t = gid.x; t < 520u; t = t + nwg.x * WG) {
        var acc = 0.0;
        if (t < 500u) {
            let c = t / 25u;
            let ky = (t % 25u) / 5u;
            let kx = t % 5u;
            for (var s = 0u; s < D.n; s = s + 1u) {
                for (var y = 0u; y < 24u; y = y + 1u) {
                    for (var x = 0u; x < 24u; x = x + 1u) {
                        acc = acc + B[D.o_da1 + s * NA1 + c * 576u + y * 24u + x]
                            * X[s * 784u + (y + ky) * 28u + x + kx];
                    }
                }
            }
            G[D.w_c1 + t] = G[D.w_c1 + t] + acc;
        } else {
            let c = t - 500u;
            for (var s = 0u; s < D.n; s = s + 1u) {
                for (var q = 0u; q < 576u; q = q + 1u) {
                    acc = acc + B[D.o_da1 + s * NA1 + c * 576u + q];
                }
            }
            G[D.b_c1 + c] = G[D.b_c1 + c] + acc;
        }
    }
}
