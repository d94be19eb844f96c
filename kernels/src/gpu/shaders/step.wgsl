// The element-wise passes of Algorithm 1: gradients, consensus step, worker step (Nesterov), and
// the fused quad step. One workgroup per tile; worker-major copies z_j at j*n.

@compute @workgroup_size(256)
fn grad_all(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
    let t = tiles[wid.x];
    for (var j = 0u; j < P.m; j++) {
        let f = layer_factor(j, t.x);
        for (var i = t.y + lid3.x; i < t.z; i += WG) {
            let k = j * P.n + i;
            grad[k] = gval(f, u[i] - z[k]);
        }
    }
}

// du = -tau sum_j grad phi-hat(u - z_j) and its bound data per worker (line search of line 3).
@compute @workgroup_size(256)
fn consensus_bound(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
    let lid = lid3.x;
    let t = tiles[wid.x];
    var f: array<f32, 16>;
    var b: array<f32, 16>;
    var tm: array<f32, 16>;
    var s: array<f32, 16>;
    var mx: array<f32, 16>;
    for (var j = 0u; j < P.m; j++) { f[j] = layer_factor(j, t.x); b[j] = 0.0; tm[j] = BIG; s[j] = 0.0; mx[j] = 0.0; }
    var a = 0.0;
    for (var i = t.y + lid; i < t.z; i += WG) {
        var acc = 0.0;
        for (var j = 0u; j < P.m; j++) { acc += gval(f[j], u[i] - z[j * P.n + i]); }
        let d_u = -P.tau * acc;
        a += d_u * d_u;
        for (var j = 0u; j < P.m; j++) {
            let d = u[i] - z[j * P.n + i];
            b[j] += d * d_u;
            s[j] += d * d;
            mx[j] = max(mx[j], d * d);
            tm[j] = min(tm[j], coord_t(d, d_u));
        }
    }
    for (var j = 0u; j < P.m; j++) {
        wg_reduce(lid, vec4<f32>(s[j], b[j], a, 0.0), vec2<f32>(tm[j], mx[j]));
        if (lid == 0u) { write_partial(wid.x, j); }
        workgroupBarrier();
    }
}

// u <- u + t_u du; accumulates |u_new - z_j|^2 for the worker step.
@compute @workgroup_size(256)
fn consensus_apply(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
    let lid = lid3.x;
    let t = tiles[wid.x];
    var f: array<f32, 16>;
    var s: array<f32, 16>;
    var mx: array<f32, 16>;
    for (var j = 0u; j < P.m; j++) { f[j] = layer_factor(j, t.x); s[j] = 0.0; mx[j] = 0.0; }
    let c = -P.tau * scal[0];
    // A state outside the domain (flag of check_domain) is left untouched.
    let ok = scal[2] == 0.0;
    for (var i = t.y + lid; i < t.z; i += WG) {
        var acc = 0.0;
        let ui = u[i];
        for (var j = 0u; j < P.m; j++) { acc += gval(f[j], ui - z[j * P.n + i]); }
        let un = ui + c * acc;
        if (ok) { u[i] = un; }
        for (var j = 0u; j < P.m; j++) {
            let d = un - z[j * P.n + i];
            s[j] += d * d;
            mx[j] = max(mx[j], d * d);
        }
    }
    for (var j = 0u; j < P.m; j++) {
        wg_reduce(lid, vec4<f32>(s[j], 0.0, 0.0, 0.0), vec2<f32>(BIG, mx[j]));
        if (lid == 0u) { write_partial(wid.x, j); }
        workgroupBarrier();
    }
}

// Worker direction e = sigma (Delta + kappa v'), the direction of u - z_j, and its bound data.
@compute @workgroup_size(256)
fn worker_bound(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
    let lid = lid3.x;
    let t = tiles[wid.x];
    for (var j = 0u; j < P.m; j++) {
        let f = layer_factor(j, t.x);
        var acc = vec4<f32>(0.0);
        var mm = vec2<f32>(BIG, 0.0);
        for (var i = t.y + lid; i < t.z; i += WG) {
            let k = j * P.n + i;
            let d = u[i] - z[k];
            let delta = dlt[k] + P.nu * z[k] - gval(f, d) * P.inv_lambda;
            let vn = P.kappa * v[k] + delta;
            let e = P.sigma * (delta + P.kappa * vn);
            acc += vec4<f32>(d * d, d * e, e * e, 0.0);
            mm = vec2<f32>(min(mm.x, coord_t(d, e)), max(mm.y, d * d));
        }
        wg_reduce(lid, acc, mm);
        if (lid == 0u) { write_partial(wid.x, j); }
        workgroupBarrier();
    }
}

// z_j <- z_j - t_j sigma (Delta_j + kappa v_j'), v_j <- t_j v_j' with v_j' = kappa v_j + Delta_j
// (a cut step keeps the velocity of the step taken, see Params in potential.rs); accumulates
// |u - z_j,new|^2 for the next step.
@compute @workgroup_size(256)
fn worker_apply(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
    let lid = lid3.x;
    let t = tiles[wid.x];
    for (var j = 0u; j < P.m; j++) {
        let f = layer_factor(j, t.x);
        let tj = scal[4u + j];
        let stp = -tj * P.sigma;
        let ok = scal[2] == 0.0;
        var s = 0.0;
        var mx = 0.0;
        for (var i = t.y + lid; i < t.z; i += WG) {
            let k = j * P.n + i;
            let zk = z[k];
            let delta = dlt[k] + P.nu * zk - gval(f, u[i] - zk) * P.inv_lambda;
            let vn = P.kappa * v[k] + delta;
            let zn = zk + stp * (delta + P.kappa * vn);
            if (ok) {
                z[k] = zn;
                v[k] = tj * vn;
            }
            let d = u[i] - zn;
            s += d * d;
            mx = max(mx, d * d);
        }
        wg_reduce(lid, vec4<f32>(s, 0.0, 0.0, 0.0), vec2<f32>(BIG, mx));
        if (lid == 0u) { write_partial(wid.x, j); }
        workgroupBarrier();
    }
}

// quad: grad phi-hat(w) = 2 w/eta^2 needs no norm and no bound: both steps in one pass.
@compute @workgroup_size(256)
fn quad_fused(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
    let t = tiles[wid.x];
    let c = 2.0 * P.inv_eta2;
    for (var i = t.y + lid3.x; i < t.z; i += WG) {
        let ui = u[i];
        var acc = 0.0;
        for (var j = 0u; j < P.m; j++) { acc += ui - z[j * P.n + i]; }
        let un = ui + (-P.tau * c) * acc;
        u[i] = un;
        for (var j = 0u; j < P.m; j++) {
            let k = j * P.n + i;
            let zk = z[k];
            let delta = dlt[k] + P.nu * zk - c * P.inv_lambda * (un - zk);
            let vn = P.kappa * v[k] + delta;
            z[k] = zk - P.sigma * (delta + P.kappa * vn);
            v[k] = vn;
        }
    }
}
