//! The objective of model (15) and the potential φ̂ of (18) evaluated on the host, in f64, from the
//! f32 state: what the log and the Corollary 5.1 figures report.

use crate::error::TrainError;
use infconv_kernels::real::two_dh;
use infconv_kernels::{LayerTable, PotentialKind};

/// φ̂(u − z) = Σₗ φ((u − z)ₗ/η) of (18): h(‖(u − z)ₗ‖²/η²) per layer (radial) or Σᵢ h((uᵢ − zᵢ)²/η²)
/// (separable); +∞ when u − z is outside the domain.
pub fn phi_hat(kind: PotentialKind, eta: f64, layers: &LayerTable, u: &[f32], z: &[f32]) -> f64 {
    let ie2 = 1.0 / (eta * eta);
    (0..layers.num_layers())
        .map(|l| {
            let r = layers.range(l);
            let d = || u[r.clone()].iter().zip(&z[r.clone()]).map(|(&a, &b)| a as f64 - b as f64);
            if kind.is_separable() {
                d().map(|w| kind.h(w * w * ie2)).sum::<f64>()
            } else {
                kind.h(d().map(|w| w * w).sum::<f64>() * ie2)
            }
        })
        .sum()
}

/// ∇φ̂(w) of (18), written into `out`: 2h′(s/η²)/η² · w per layer (radial, s = ‖wₗ‖²) or per
/// coordinate (separable, s = wᵢ²). Errors (naming the layer) when w is outside the domain.
pub fn grad_phi_hat(kind: PotentialKind, eta: f64, layers: &LayerTable, w: &[f64], out: &mut [f64]) -> Result<(), TrainError> {
    let ie2 = 1.0 / (eta * eta);
    for l in 0..layers.num_layers() {
        let r = layers.range(l);
        if kind.is_separable() {
            for i in r {
                let s = w[i] * w[i] * ie2;
                if !(s < kind.s_max()) {
                    return Err(format!("∇φ̂: coordinate {i} of layer {l} is outside dom φ̂ (s = {s}, bound {})", kind.s_max()).into());
                }
                out[i] = two_dh::<f64>(kind, s) * ie2 * w[i];
            }
        } else {
            let s = w[r.clone()].iter().map(|x| x * x).sum::<f64>() * ie2;
            if !(s < kind.s_max()) {
                return Err(format!("∇φ̂: layer {l} is outside dom φ̂ (‖w‖²/η² = {s}, bound {})", kind.s_max()).into());
            }
            let f = two_dh::<f64>(kind, s) * ie2;
            for i in r {
                out[i] = f * w[i];
            }
        }
    }
    Ok(())
}

/// ‖x‖ in f64.
pub fn norm<T: Copy + Into<f64>>(x: &[T]) -> f64 {
    x.iter().map(|&a| a.into() * a.into()).sum::<f64>().sqrt()
}

/// ‖u − z‖ in f64.
pub fn distance(u: &[f32], z: &[f32]) -> f64 {
    u.iter().zip(z).map(|(&a, &b)| (a as f64 - b as f64).powi(2)).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grad_phi_hat_matches_differences_of_phi_hat() {
        // Central differences of φ̂ along a coordinate, in f64 (w given exactly in f32).
        let layers = LayerTable::new(vec![3, 2]).unwrap();
        let u = [0.1f32, -0.2, 0.05, 0.3, -0.1];
        let z = [0.0f32; 5];
        for kind in PotentialKind::BUILTIN {
            let w: Vec<f64> = u.iter().map(|&x| x as f64).collect();
            let mut g = vec![0.0; 5];
            grad_phi_hat(kind, 1.5, &layers, &w, &mut g).unwrap();
            for i in 0..5 {
                let h = 1e-3f32;
                let (mut up, mut dn) = (u, u);
                up[i] += h;
                dn[i] -= h;
                let step = (up[i] as f64 - dn[i] as f64) / 2.0;
                let cd = (phi_hat(kind, 1.5, &layers, &up, &z) - phi_hat(kind, 1.5, &layers, &dn, &z)) / (2.0 * step);
                // Truncation h²|φ‴| ≲ 1e-6 · scale here; the check is that the two agree to 1e-4.
                assert!((cd - g[i]).abs() <= 1e-4 * (1.0 + g[i].abs()), "{kind} i={i}: cd {cd} vs {}", g[i]);
            }
        }
        let far = [2.0f64; 5];
        let mut g = vec![0.0; 5];
        assert!(grad_phi_hat(PotentialKind::Log, 1.0, &layers, &far, &mut g).unwrap_err().to_string().contains("outside"));
        assert_eq!(phi_hat(PotentialKind::Tan, 1.0, &layers, &[2.0; 5], &z), f64::INFINITY);
    }
}
