// Shared by every kernel of the EASGD steps: the bindings, the potential factor 2h'(s) of (18)
// and the workgroup reduction (cos_acc is in math.wgsl, prepended). All arithmetic is f32 (f64
// transcendental functions are not trusted in shaders: lavapipe returns garbage for f64
// exp/log/pow).

struct Params {
    n: u32, m: u32, num_layers: u32, num_tiles: u32,
    kind: u32, bounded: u32, separable: u32, pad0: u32,
    inv_eta2: f32, rho2: f32, rho: f32, s_max_w: f32,
    tau: f32, sigma: f32, nu: f32, kappa: f32,
    inv_lambda: f32, fraction: f32, pad1: f32, pad2: f32,
};

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> u: array<f32>;
@group(0) @binding(2) var<storage, read_write> z: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<storage, read_write> dlt: array<f32>;
@group(0) @binding(5) var<storage, read_write> grad: array<f32>;
@group(0) @binding(6) var<storage, read_write> du: array<f32>;
@group(0) @binding(7) var<storage, read_write> dz: array<f32>;
// (layer, start, end, 0) per tile; a tile is a piece of one layer, one workgroup.
@group(0) @binding(8) var<storage, read_write> tiles: array<vec4<u32>>;
// the tiles of layer l are layer_tiles[l] .. layer_tiles[l + 1].
@group(0) @binding(9) var<storage, read_write> layer_tiles: array<u32>;
// STRIDE slots per (tile, worker) and per (worker, layer):
// 0 s = |d|^2, 1 b = <d, e>, 2 a = |e|^2, 3 min coordinate step, 4 max d_i^2, 5 r5b^2, 6 r5a^2.
@group(0) @binding(10) var<storage, read_write> partial: array<f32>;
@group(0) @binding(11) var<storage, read_write> layer_red: array<f32>;
// 0 t_u, 1 cut count, 2 domain flag, 3 first offending (worker*L + layer), 4.. t_j, 4+M.. t*_j.
@group(0) @binding(12) var<storage, read_write> scal: array<f32>;

const WG: u32 = 256u;
const STRIDE: u32 = 8u;
const MAXM: u32 = 16u;
const BIG: f32 = 3.0e38;

// 2h'(s): quad 2, cubic 3 sqrt(s), cubic-reg 3 sqrt(s) + 0.02, tan 2 sec^2 s, log 2/(1 - s).
fn two_dh(s: f32) -> f32 {
    switch P.kind {
        case 0u: { return 2.0; }
        case 1u: { return 3.0 * sqrt(s); }
        case 2u: { return 3.0 * sqrt(s) + 0.02; }
        case 3u, 4u: { let c = cos_acc(s); return 2.0 / (c * c); }
        default: { return 2.0 / (1.0 - s); }
    }
}

// The factor 2h'(s/eta^2)/eta^2 of worker j's layer l (radial potentials, from layer_red).
fn layer_factor(j: u32, l: u32) -> f32 {
    let s = layer_red[(j * P.num_layers + l) * STRIDE];
    return two_dh(s * P.inv_eta2) * P.inv_eta2;
}

// A component of grad phi-hat: f d (radial) or 2h'((d/eta)^2) d/eta^2 (separable).
fn gval(f: f32, d: f32) -> f32 {
    if (P.separable == 1u) {
        return two_dh(d * d * P.inv_eta2) * P.inv_eta2 * d;
    }
    return f * d;
}

// The largest t >= 0 with |d + t e| < rho.
fn coord_t(d: f32, e: f32) -> f32 {
    if (!(abs(d) < P.rho)) { return 0.0; }
    if (e > 0.0) { return (P.rho - d) / e; }
    if (e < 0.0) { return (P.rho + d) / (-e); }
    return BIG;
}

// The largest t >= 0 with a t^2 + 2 b t + c < 0 (c = |d|^2 - rho^2), without cancellation.
fn radial_t(a: f32, b: f32, c: f32) -> f32 {
    if (!(c < 0.0)) { return 0.0; }
    if (a <= 0.0) { return BIG; }
    let root = sqrt(b * b - a * c);
    if (b <= 0.0) { return (root - b) / a; }
    return -c / (b + root);
}

var<workgroup> red_sum: array<vec4<f32>, 256>;
var<workgroup> red_mm: array<vec2<f32>, 256>;

// Tree reduction over the workgroup: sums (s, b, a, extra), (min, max); the result is in slot 0.
fn wg_reduce(lid: u32, sum: vec4<f32>, mm: vec2<f32>) {
    red_sum[lid] = sum;
    red_mm[lid] = mm;
    workgroupBarrier();
    for (var off = WG / 2u; off > 0u; off = off / 2u) {
        if (lid < off) {
            red_sum[lid] = red_sum[lid] + red_sum[lid + off];
            let o = red_mm[lid + off];
            red_mm[lid] = vec2<f32>(min(red_mm[lid].x, o.x), max(red_mm[lid].y, o.y));
        }
        workgroupBarrier();
    }
}

// Writes the workgroup result of worker j for this tile (slots 0..5).
fn write_partial(tile: u32, j: u32) {
    let b = (tile * P.m + j) * STRIDE;
    let r = red_sum[0];
    let q = red_mm[0];
    partial[b] = r.x;
    partial[b + 1u] = r.y;
    partial[b + 2u] = r.z;
    partial[b + 3u] = q.x;
    partial[b + 4u] = q.y;
    partial[b + 5u] = r.w;
}
