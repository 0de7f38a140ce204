//! The Sobol' low-discrepancy sequence in base 2 with Joe and Kuo's direction
//! numbers (`new-joe-kuo-6.21201`, Joe & Kuo 2008), 32-bit, up to
//! [`MAX_DIMENSIONS`] dimensions.
//!
//! Points are addressed by index (natural order: the XOR of the direction
//! numbers of the index's set bits), so any point can be computed on its own
//! and every power-of-two prefix is the same point set as Gray-code order.

/// Dimensions the bundled direction numbers support.
pub const MAX_DIMENSIONS: usize = 64;

/// Bits of each coordinate (and so the largest number of points, `2^BITS`).
const BITS: usize = 32;

/// Joe & Kuo `new-joe-kuo-6.21201`, dimensions 2..=64, as `(s, a, m_1..m_s)`:
/// the degree of the primitive polynomial, its inner coefficients as bits,
/// and the initial direction integers. Dimension 1 is van der Corput.
const JOE_KUO: [(u32, u32, &[u32]); MAX_DIMENSIONS - 1] = [
    (1, 0, &[1]),
    (2, 1, &[1, 3]),
    (3, 1, &[1, 3, 1]),
    (3, 2, &[1, 1, 1]),
    (4, 1, &[1, 1, 3, 3]),
    (4, 4, &[1, 3, 5, 13]),
    (5, 2, &[1, 1, 5, 5, 17]),
    (5, 4, &[1, 1, 5, 5, 5]),
    (5, 7, &[1, 1, 7, 11, 19]),
    (5, 11, &[1, 1, 5, 1, 1]),
    (5, 13, &[1, 1, 1, 3, 11]),
    (5, 14, &[1, 3, 5, 5, 31]),
    (6, 1, &[1, 3, 3, 9, 7, 49]),
    (6, 13, &[1, 1, 1, 15, 21, 21]),
    (6, 16, &[1, 3, 1, 13, 27, 49]),
    (6, 19, &[1, 1, 1, 15, 7, 5]),
    (6, 22, &[1, 3, 1, 15, 13, 25]),
    (6, 25, &[1, 1, 5, 5, 19, 61]),
    (7, 1, &[1, 3, 7, 11, 23, 15, 103]),
    (7, 4, &[1, 3, 7, 13, 13, 15, 69]),
    (7, 7, &[1, 1, 3, 13, 7, 35, 63]),
    (7, 8, &[1, 3, 5, 9, 1, 25, 53]),
    (7, 14, &[1, 3, 1, 13, 9, 35, 107]),
    (7, 19, &[1, 3, 1, 5, 27, 61, 31]),
    (7, 21, &[1, 1, 5, 11, 19, 41, 61]),
    (7, 28, &[1, 3, 5, 3, 3, 13, 69]),
    (7, 31, &[1, 1, 7, 13, 1, 19, 1]),
    (7, 32, &[1, 3, 7, 5, 13, 19, 59]),
    (7, 37, &[1, 1, 3, 9, 25, 29, 41]),
    (7, 41, &[1, 3, 5, 13, 23, 1, 55]),
    (7, 42, &[1, 3, 7, 3, 13, 59, 17]),
    (7, 50, &[1, 3, 1, 3, 5, 53, 69]),
    (7, 55, &[1, 1, 5, 5, 23, 33, 13]),
    (7, 56, &[1, 1, 7, 7, 1, 61, 123]),
    (7, 59, &[1, 1, 7, 9, 13, 61, 49]),
    (7, 62, &[1, 3, 3, 5, 3, 55, 33]),
    (8, 14, &[1, 3, 1, 15, 31, 13, 49, 245]),
    (8, 21, &[1, 3, 5, 15, 31, 59, 63, 97]),
    (8, 22, &[1, 3, 1, 11, 11, 11, 77, 249]),
    (8, 38, &[1, 3, 1, 11, 27, 43, 71, 9]),
    (8, 47, &[1, 1, 7, 15, 21, 11, 81, 45]),
    (8, 49, &[1, 3, 7, 3, 25, 31, 65, 79]),
    (8, 50, &[1, 3, 1, 1, 19, 11, 3, 205]),
    (8, 52, &[1, 1, 5, 9, 19, 21, 29, 157]),
    (8, 56, &[1, 3, 7, 11, 1, 33, 89, 185]),
    (8, 67, &[1, 3, 3, 3, 15, 9, 79, 71]),
    (8, 70, &[1, 3, 7, 11, 15, 39, 119, 27]),
    (8, 84, &[1, 1, 3, 1, 11, 31, 97, 225]),
    (8, 97, &[1, 1, 1, 3, 23, 43, 57, 177]),
    (8, 103, &[1, 3, 7, 7, 17, 17, 37, 71]),
    (8, 115, &[1, 3, 1, 5, 27, 63, 123, 213]),
    (8, 122, &[1, 1, 3, 5, 11, 43, 53, 133]),
    (9, 8, &[1, 3, 5, 5, 29, 17, 47, 173, 479]),
    (9, 13, &[1, 3, 3, 11, 3, 1, 109, 9, 69]),
    (9, 16, &[1, 1, 1, 5, 17, 39, 23, 5, 343]),
    (9, 22, &[1, 3, 1, 5, 25, 15, 31, 103, 499]),
    (9, 25, &[1, 1, 1, 11, 11, 17, 63, 105, 183]),
    (9, 44, &[1, 1, 5, 11, 9, 29, 97, 231, 363]),
    (9, 47, &[1, 1, 5, 15, 19, 45, 41, 7, 383]),
    (9, 52, &[1, 3, 7, 7, 31, 19, 83, 137, 221]),
    (9, 55, &[1, 1, 1, 3, 23, 15, 111, 223, 83]),
    (9, 59, &[1, 1, 5, 13, 31, 15, 55, 25, 161]),
    (9, 62, &[1, 1, 3, 13, 25, 47, 39, 87, 257]),
];

/// Direction numbers `v[d][j]` (left-aligned 32-bit) for `dims` dimensions.
#[derive(Debug, Clone)]
pub(crate) struct SobolSequence {
    directions: Vec<[u32; BITS]>,
}

impl SobolSequence {
    /// Direction numbers for the first `dims` dimensions; `None` beyond
    /// [`MAX_DIMENSIONS`].
    pub(crate) fn new(dims: usize) -> Option<Self> {
        if dims > MAX_DIMENSIONS {
            return None;
        }
        let mut directions = Vec::with_capacity(dims);
        if dims > 0 {
            let mut v = [0u32; BITS];
            for (j, vj) in v.iter_mut().enumerate() {
                *vj = 1u32 << (BITS - 1 - j);
            }
            directions.push(v);
        }
        for &(s, a, m) in JOE_KUO.iter().take(dims.saturating_sub(1)) {
            let s = s as usize;
            let mut v = [0u32; BITS];
            for j in 0..BITS {
                v[j] = if j < s {
                    m[j] << (BITS - 1 - j)
                } else {
                    // Bratley & Fox recurrence; the bits of `a` are the
                    // polynomial's inner coefficients.
                    let mut x = v[j - s] ^ (v[j - s] >> s);
                    for k in 1..s {
                        if (a >> (s - 1 - k)) & 1 == 1 {
                            x ^= v[j - k];
                        }
                    }
                    x
                };
            }
            directions.push(v);
        }
        Some(Self { directions })
    }

    /// Coordinate `dim` of point `index`, as the 32-bit integer numerator of a
    /// fraction of `2^32`.
    pub(crate) fn coordinate(&self, index: u32, dim: usize) -> u32 {
        let v = &self.directions[dim];
        let mut x = 0u32;
        let mut i = index;
        let mut j = 0;
        while i != 0 {
            if i & 1 == 1 {
                x ^= v[j];
            }
            i >>= 1;
            j += 1;
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_table_is_well_formed() {
        for (d, &(s, a, m)) in JOE_KUO.iter().enumerate() {
            assert_eq!(m.len(), s as usize, "dimension {}", d + 2);
            assert!(a < (1 << (s - 1)).max(1), "dimension {}", d + 2);
            for (j, &mj) in m.iter().enumerate() {
                // m_j odd and below 2^(j+1).
                assert!(mj % 2 == 1 && mj < (1 << (j + 1)), "dimension {}", d + 2);
            }
        }
    }

    #[test]
    fn first_points_match_the_known_sequence() {
        let s = SobolSequence::new(3).unwrap();
        let pt = |i: u32| -> Vec<f64> {
            (0..3)
                .map(|d| f64::from(s.coordinate(i, d)) / 4_294_967_296.0)
                .collect()
        };
        assert_eq!(pt(0), vec![0.0, 0.0, 0.0]);
        assert_eq!(pt(1), vec![0.5, 0.5, 0.5]);
        // Natural order: index 3 is the Gray-code order's third point.
        assert_eq!(pt(3), vec![0.75, 0.25, 0.25]);
        assert_eq!(pt(2), vec![0.25, 0.75, 0.75]);
    }

    /// Every 1-D projection of the first 2^m points puts exactly one point in
    /// each interval of width 2^-m, and the first two dimensions (a (0, m, 2)-net)
    /// one point in each cell of a 32 x 32 grid.
    #[test]
    fn stratification() {
        let s = SobolSequence::new(MAX_DIMENSIONS).unwrap();
        let m = 10;
        for d in 0..MAX_DIMENSIONS {
            let mut seen = vec![false; 1 << m];
            for i in 0..(1u32 << m) {
                let cell = (s.coordinate(i, d) >> (32 - m)) as usize;
                assert!(!seen[cell], "dimension {d}, point {i}");
                seen[cell] = true;
            }
        }
        for (d1, d2) in [(0, 1)] {
            let mut seen = vec![false; 1 << m];
            for i in 0..(1u32 << m) {
                let c1 = (s.coordinate(i, d1) >> (32 - 5)) as usize;
                let c2 = (s.coordinate(i, d2) >> (32 - 5)) as usize;
                assert!(!seen[c1 * 32 + c2], "dims {d1},{d2}, point {i}");
                seen[c1 * 32 + c2] = true;
            }
        }
    }
}
