// The batched separable phi-prox (kernels/src/prox/): per coordinate, safeguarded Newton on
// G(w) = phi'(w)/lambda - f'(v - w), line by line the algorithm of prox/scalar.rs (see there and
// prox/mod.rs for the derivation). One invocation per coordinate (grid-stride loop); per
// workgroup the counts are merged with workgroup atomics, then once into the global summary.

struct ProxParams {
    n: u32, kind: u32, term: u32, fault: u32,
    max_iter: u32, stride: u32, pad0: u32, pad1: u32,
    ie2: f32, inv_lambda: f32, rho: f32, s_max: f32,
    inv_delta: f32, delta: f32, stop: f32, eps4: f32,
    // quad-cos: a, omega, b*omega, b*omega^2; quad-log: a, 2 mu, eps^2, 0.
    a: f32, p1: f32, p2: f32, p3: f32,
};

@group(0) @binding(0) var<uniform> Q: ProxParams;
@group(0) @binding(1) var<storage, read> pv: array<f32>;
@group(0) @binding(2) var<storage, read> pc: array<f32>;
@group(0) @binding(3) var<storage, read_write> px: array<f32>;
@group(0) @binding(4) var<storage, read_write> pstatus: array<u32>;
// 0 unconverged, 1 by bracket, 2 first unconverged (min), 3 max residual (f32 bits, max),
// 4 Newton steps, 5 bisections.
@group(0) @binding(5) var<storage, read_write> psum: array<atomic<u32>, 8>;

var<workgroup> wsum: array<atomic<u32>, 8>;

const STATUS_RESIDUAL: u32 = 0u;
const STATUS_BRACKET: u32 = 1u;
const STATUS_UNCONVERGED: u32 = 2u;

// phi'(w), phi''(w), and 1 inside dom phi (0 outside: the domain test failed in f32).
fn phi_d(w: f32) -> vec3<f32> {
    let s = w * w * Q.ie2;
    if (Q.kind == 4u) {
        if (!(s < Q.s_max)) { return vec3<f32>(0.0, 0.0, 0.0); }
        let c = cos_acc(s);
        if (!(c > 0.0)) { return vec3<f32>(0.0, 0.0, 0.0); }
        let sec2 = 1.0 / (c * c);
        let tn = sqrt(max(1.0 - c * c, 0.0)) / c;
        return vec3<f32>(2.0 * sec2 * Q.ie2 * w, (2.0 * sec2 + 8.0 * sec2 * tn * s) * Q.ie2, 1.0);
    }
    if (Q.kind == 6u) {
        if (!(s < 1.0)) { return vec3<f32>(0.0, 0.0, 0.0); }
        let q = 1.0 / (1.0 - s);
        return vec3<f32>(2.0 * q * Q.ie2 * w, (2.0 * q + 4.0 * q * q * s) * Q.ie2, 1.0);
    }
    return vec3<f32>(2.0 * Q.ie2 * w, 2.0 * Q.ie2, 1.0);
}

// f'(x), f''(x) and the magnitude T_f of f''s terms, datum c.
fn f_d(x: f32, c: f32) -> vec3<f32> {
    if (Q.term == 0u) {
        let arg = Q.p1 * x;
        let sc = sin_cos(arg);
        var nc = -(Q.p2 * sc.x);
        if (Q.fault == 1u) { nc = Q.p2 * sc.x; }
        return vec3<f32>(Q.a * (x - c) + nc, Q.a - Q.p3 * sc.y, Q.a * (abs(x) + abs(c)) + abs(Q.p2) * (1.0 + abs(arg)));
    }
    let q = 1.0 / (Q.p2 + x * x);
    var p1 = Q.p1 * x * q;
    if (Q.fault == 1u) { p1 = -p1; }
    return vec3<f32>(Q.a * (x - c) + p1, Q.a + Q.p1 * (Q.p2 - x * x) * q * q, Q.a * (abs(x) + abs(c)) + abs(p1));
}

struct Ev { g: f32, dg: f32, s_stop: f32, s: f32, ok: bool, };

fn eval(v: f32, c: f32, w: f32) -> Ev {
    let d = phi_d(w);
    let x = v - w;
    let f = f_d(x, c);
    let g = d.x * Q.inv_lambda - f.x;
    let dg = d.y * Q.inv_lambda + f.y;
    let wx = abs(w) + abs(x);
    let s_stop = abs(d.x) * Q.inv_lambda + abs(f.y) * abs(x) + f.z + Q.delta * wx;
    let s = s_stop + (d.y * Q.inv_lambda + abs(f.y)) * wx;
    return Ev(g, dg, s_stop, s, d.z > 0.5 && is_finite(g) && is_finite(s));
}

fn solve_one(i: u32) {
    let v = pv[i];
    let c = pc[i];
    var e = eval(v, c, 0.0);
    var w = 0.0;
    var status = STATUS_UNCONVERGED;
    var newton = 0u;
    var bisect = 0u;
    if (e.ok) {
        var reach = abs(e.g) * Q.inv_delta;
        reach = min(reach, Q.rho);
        var lo = -reach;
        var hi = 0.0;
        if (e.g < 0.0) { lo = 0.0; hi = reach; }
        var g_prev = 3.0e38;
        var after_bisect = true;
        for (var it = 0u; it < Q.max_iter; it = it + 1u) {
            if (abs(e.g) <= Q.stop * e.s_stop) { status = STATUS_RESIDUAL; break; }
            if (hi - lo <= Q.eps4 * max(abs(lo), abs(hi))) { status = STATUS_BRACKET; break; }
            var step = e.g / e.dg;
            if (Q.fault == 2u) { step = -step; }
            var wn = w - step;
            if (wn == w) {
                let probe = Q.eps4 * max(abs(w), 1.17549435e-38);
                wn = select(w + probe, w - probe, e.g > 0.0);
            }
            let use_newton = wn > lo && wn < hi && (after_bisect || abs(e.g) <= 0.5 * g_prev);
            if (!use_newton) { wn = 0.5 * (lo + hi); }
            if (wn <= lo || wn >= hi) { status = STATUS_BRACKET; break; }
            if (use_newton) { newton = newton + 1u; } else { bisect = bisect + 1u; }
            after_bisect = !use_newton;
            let en = eval(v, c, wn);
            if (en.ok) {
                g_prev = abs(e.g);
                w = wn;
                e = en;
                if (e.g > 0.0) { hi = w; } else if (e.g < 0.0) { lo = w; } else { status = STATUS_RESIDUAL; break; }
            } else {
                if (wn > w) { hi = wn; } else { lo = wn; }
            }
        }
    }
    px[i] = v - w;
    pstatus[i] = status;
    var residual = 0.0;
    if (e.g != 0.0) { residual = abs(e.g) / e.s; }
    if (!e.ok) { residual = 3.0e38; }
    atomicAdd(&wsum[4], newton);
    atomicAdd(&wsum[5], bisect);
    atomicMax(&wsum[3], bitcast<u32>(residual));
    if (status == STATUS_UNCONVERGED) {
        atomicAdd(&wsum[0], 1u);
        atomicMin(&wsum[2], i);
    }
    if (status == STATUS_BRACKET) { atomicAdd(&wsum[1], 1u); }
}

@compute @workgroup_size(256)
fn sep_prox(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    if (lid < 8u) {
        atomicStore(&wsum[lid], select(0u, 0xffffffffu, lid == 2u));
    }
    workgroupBarrier();
    for (var i = gid.x; i < Q.n; i = i + Q.stride) {
        solve_one(i);
    }
    workgroupBarrier();
    if (lid == 0u) {
        atomicAdd(&psum[0], atomicLoad(&wsum[0]));
        atomicAdd(&psum[1], atomicLoad(&wsum[1]));
        atomicMin(&psum[2], atomicLoad(&wsum[2]));
        atomicMax(&psum[3], atomicLoad(&wsum[3]));
        atomicAdd(&psum[4], atomicLoad(&wsum[4]));
        atomicAdd(&psum[5], atomicLoad(&wsum[5]));
    }
}
