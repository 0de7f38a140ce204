//! A draw's parameter values, by name.

use crate::scenario::Param;

/// Every parameter's value in one draw, in [`Param::ALL`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawParams(pub Vec<f64>);

impl DrawParams {
    pub fn get(&self, p: Param) -> f64 {
        self.0[p.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_the_position_in_all() {
        for (i, p) in Param::ALL.iter().enumerate() {
            assert_eq!(p.index(), i);
        }
        let d = DrawParams((0..Param::ALL.len()).map(|i| i as f64).collect());
        assert_eq!(d.get(Param::Reactivity), Param::Reactivity.index() as f64);
    }
}
