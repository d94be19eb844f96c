// Segmented reductions: one workgroup per tile writes its partials, `layer_sum` combines the tiles
// of each layer in order; single-invocation kernels turn them into step lengths.

// |d|^2 and max d_i^2 per (tile, worker), d = u - z_j.
@compute @workgroup_size(256)
fn red_norms(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
    let lid = lid3.x;
    let t = tiles[wid.x];
    for (var j = 0u; j < P.m; j++) {
        var s = 0.0;
        var mx = 0.0;
        for (var i = t.y + lid; i < t.z; i += WG) {
            let d = u[i] - z[j * P.n + i];
            s += d * d;
            mx = max(mx, d * d);
        }
        wg_reduce(lid, vec4<f32>(s, 0.0, 0.0, 0.0), vec2<f32>(BIG, mx));
        if (lid == 0u) { write_partial(wid.x, j); }
        workgroupBarrier();
    }
}

// The standalone feasibility bound: d = u - z_j, e = du - dz_j.
@compute @workgroup_size(256)
fn red_dirs(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
    let lid = lid3.x;
    let t = tiles[wid.x];
    for (var j = 0u; j < P.m; j++) {
        var acc = vec4<f32>(0.0);
        var mm = vec2<f32>(BIG, 0.0);
        for (var i = t.y + lid; i < t.z; i += WG) {
            let d = u[i] - z[j * P.n + i];
            let e = du[i] - dz[j * P.n + i];
            acc += vec4<f32>(d * d, d * e, e * e, 0.0);
            mm = vec2<f32>(min(mm.x, coord_t(d, e)), max(mm.y, d * d));
        }
        wg_reduce(lid, acc, mm);
        if (lid == 0u) { write_partial(wid.x, j); }
        workgroupBarrier();
    }
}

// Residuals: per worker |delta_j + nu z_j - g_j/lambda|^2 (slot 5), and |sum_j g_j|^2 (slot 6
// of worker 0).
@compute @workgroup_size(256)
fn red_residuals(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
    let lid = lid3.x;
    let t = tiles[wid.x];
    var f: array<f32, 16>;
    for (var j = 0u; j < P.m; j++) { f[j] = layer_factor(j, t.x); }
    var sa = 0.0;
    for (var i = t.y + lid; i < t.z; i += WG) {
        var g = 0.0;
        for (var j = 0u; j < P.m; j++) { g += gval(f[j], u[i] - z[j * P.n + i]); }
        sa += g * g;
    }
    wg_reduce(lid, vec4<f32>(sa, 0.0, 0.0, 0.0), vec2<f32>(BIG, 0.0));
    if (lid == 0u) { partial[wid.x * P.m * STRIDE + 6u] = red_sum[0].x; }
    workgroupBarrier();
    for (var j = 0u; j < P.m; j++) {
        var s = 0.0;
        var rb = 0.0;
        for (var i = t.y + lid; i < t.z; i += WG) {
            let k = j * P.n + i;
            let d = u[i] - z[k];
            let r = dlt[k] + P.nu * z[k] - gval(f[j], d) * P.inv_lambda;
            s += d * d;
            rb += r * r;
        }
        wg_reduce(lid, vec4<f32>(s, 0.0, 0.0, rb), vec2<f32>(BIG, 0.0));
        if (lid == 0u) { write_partial(wid.x, j); }
        workgroupBarrier();
    }
}

// Per (worker, layer): sums of slots 0, 1, 2, 5, 6, min of slot 3, max of slot 4 over the tiles
// of the layer, in tile order.
@compute @workgroup_size(64)
fn layer_sum(@builtin(global_invocation_id) gid: vec3<u32>) {
    let idx = gid.x;
    if (idx >= P.num_layers * P.m) { return; }
    let j = idx / P.num_layers;
    let l = idx % P.num_layers;
    var s = vec4<f32>(0.0);
    var r6 = 0.0;
    var mm = vec2<f32>(BIG, 0.0);
    for (var t = layer_tiles[l]; t < layer_tiles[l + 1u]; t++) {
        let b = (t * P.m + j) * STRIDE;
        s += vec4<f32>(partial[b], partial[b + 1u], partial[b + 2u], partial[b + 5u]);
        r6 += partial[b + 6u];
        mm = vec2<f32>(min(mm.x, partial[b + 3u]), max(mm.y, partial[b + 4u]));
    }
    let o = idx * STRIDE;
    layer_red[o] = s.x;
    layer_red[o + 1u] = s.y;
    layer_red[o + 2u] = s.z;
    layer_red[o + 3u] = mm.x;
    layer_red[o + 4u] = mm.y;
    layer_red[o + 5u] = s.w;
    layer_red[o + 6u] = r6;
}

// Sets the domain flag if some u - z_j is outside dom phi-hat (or NaN).
@compute @workgroup_size(1)
fn check_domain() {
    scal[2] = 0.0;
    for (var j = 0u; j < P.m; j++) {
        for (var l = 0u; l < P.num_layers; l++) {
            let o = (j * P.num_layers + l) * STRIDE;
            var val = layer_red[o];
            if (P.separable == 1u) { val = layer_red[o + 4u]; }
            if (!(val < P.s_max_w) && scal[2] == 0.0) {
                scal[2] = 1.0;
                scal[3] = f32(j * P.num_layers + l);
            }
        }
    }
}

// t* of worker j from the per-layer reductions.
fn t_star(j: u32) -> f32 {
    var t = BIG;
    if (P.bounded == 0u) { return BIG; }
    for (var l = 0u; l < P.num_layers; l++) {
        let o = (j * P.num_layers + l) * STRIDE;
        if (P.separable == 1u) {
            t = min(t, layer_red[o + 3u]);
        } else {
            t = min(t, radial_t(layer_red[o + 2u], layer_red[o + 1u], layer_red[o] - P.rho2));
        }
    }
    return t;
}

fn step_len(t: f32) -> f32 {
    if (P.bounded == 0u) { return 1.0; }
    return min(1.0, P.fraction * t);
}

@compute @workgroup_size(1)
fn t_consensus() {
    var t = BIG;
    for (var j = 0u; j < P.m; j++) { t = min(t, t_star(j)); }
    scal[0] = step_len(t);
    if (scal[0] < 1.0) { scal[1] += 1.0; }
}

@compute @workgroup_size(1)
fn t_workers() {
    for (var j = 0u; j < P.m; j++) {
        let t = step_len(t_star(j));
        scal[4u + j] = t;
        if (t < 1.0) { scal[1] += 1.0; }
    }
}

@compute @workgroup_size(1)
fn t_dirs() {
    for (var j = 0u; j < P.m; j++) { scal[4u + P.m + j] = t_star(j); }
}
