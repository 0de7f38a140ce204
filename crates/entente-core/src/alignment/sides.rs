//! The three places a unit of the landscape can stand: with the side of the
//! west anchor (the USA in the flagship), with the side of the east anchor
//! (China), or with neither. Both what the formal ties say a state's side is
//! (the *observed* side, what the alignment model is fitted and checked
//! against) and how a solved landscape's coalitions are named.

use crate::ids::Ccode;
use crate::world::World;

/// A side of the landscape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    /// With the west anchor (the coalition holding the USA in the flagship).
    West,
    /// With the east anchor (the coalition holding China).
    East,
    /// With neither: the landscape's neutral position.
    Unaligned,
}

impl Side {
    pub const ALL: [Side; 3] = [Side::West, Side::East, Side::Unaligned];

    /// The name used in outputs: `west`, `east`, `unaligned`.
    pub fn name(self) -> &'static str {
        match self {
            Side::West => "west",
            Side::East => "east",
            Side::Unaligned => "unaligned",
        }
    }

    /// The code stored in a draw's `coalition` vector: 0 west, 1 east, 2 unaligned.
    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(c: u8) -> Option<Side> {
        Side::ALL.get(usize::from(c)).copied()
    }

    /// Axelrod and Bennett's distance between two places: 1 across the two
    /// coalitions, 1/2 between the neutral place and either, 0 on the same place.
    pub fn distance(self, other: Side) -> f64 {
        match (self, other) {
            (a, b) if a == b => 0.0,
            (Side::Unaligned, _) | (_, Side::Unaligned) => 0.5,
            _ => 1.0,
        }
    }
}

/// The states whose formal ties define each side: a state is observed `west`
/// if it is a west anchor or has a defence tie with one, `east` likewise.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Anchors {
    pub west: Vec<Ccode>,
    pub east: Vec<Ccode>,
}

impl Anchors {
    /// Whether the anchors name both sides.
    pub fn is_complete(&self) -> bool {
        !self.west.is_empty() && !self.east.is_empty()
    }
}

/// The side a state's formal ties put it on in `world`: an anchor's own
/// side, else the side of the anchors it has a defence tie with; a state tied
/// to anchors of both sides (or to none) is unaligned.
pub fn observed(world: &World, c: Ccode, anchors: &Anchors) -> Side {
    let tied = |side: &[Ccode]| side.iter().any(|&a| a == c || world.defence_between(a, c));
    let (is_west, is_east) = (anchors.west.contains(&c), anchors.east.contains(&c));
    if is_west != is_east {
        return if is_west { Side::West } else { Side::East };
    }
    match (tied(&anchors.west), tied(&anchors.east)) {
        (true, false) => Side::West,
        (false, true) => Side::East,
        _ => Side::Unaligned,
    }
}

/// The observed side of a unit of several states: the side most of its
/// members are on (a tie between sides counts as unaligned).
pub fn observed_unit(world: &World, members: &[Ccode], anchors: &Anchors) -> Side {
    let mut count = [0usize; 3];
    for &c in members {
        count[usize::from(observed(world, c, anchors).code())] += 1;
    }
    let max = *count.iter().max().unwrap_or(&0);
    let top: Vec<Side> = Side::ALL
        .iter()
        .copied()
        .filter(|s| count[usize::from(s.code())] == max)
        .collect();
    match top.as_slice() {
        [s] => *s,
        _ => Side::Unaligned,
    }
}

/// Name a solved landscape's places. `states[u]` is unit u's coalition
/// (`0..2`) or `neutral`. The coalition holding the west anchor's unit is
/// `west` and the other `east`; if the west anchor is neutral (or absent),
/// the coalition holding the east anchor is `east` and the other `west`; if
/// both are neutral or absent, coalition 0 is `west`.
pub fn name_places(
    states: &[u8],
    neutral: u8,
    west_unit: Option<usize>,
    east_unit: Option<usize>,
) -> Vec<Side> {
    let place = |u: Option<usize>| u.and_then(|u| states.get(u)).filter(|&&s| s != neutral);
    let west_coalition = match (place(west_unit), place(east_unit)) {
        (Some(&w), _) => w,
        (None, Some(&e)) => 1 - e.min(1),
        (None, None) => 0,
    };
    states
        .iter()
        .map(|&s| {
            if s == neutral {
                Side::Unaligned
            } else if s == west_coalition {
                Side::West
            } else {
                Side::East
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_axelrod_bennetts() {
        assert_eq!(Side::West.distance(Side::East), 1.0);
        assert_eq!(Side::East.distance(Side::Unaligned), 0.5);
        assert_eq!(Side::Unaligned.distance(Side::Unaligned), 0.0);
        assert_eq!(Side::West.distance(Side::West), 0.0);
        for s in Side::ALL {
            assert_eq!(Side::from_code(s.code()), Some(s));
        }
        assert_eq!(Side::from_code(3), None);
    }

    #[test]
    fn places_are_named_by_the_anchors_coalitions() {
        // Units: 0 west anchor, 1 east anchor, 2 neutral, 3 with the east.
        let s = [1, 0, 2, 0];
        assert_eq!(
            name_places(&s, 2, Some(0), Some(1)),
            [Side::West, Side::East, Side::Unaligned, Side::East]
        );
        // The west anchor neutral: the east anchor's coalition is east.
        let s = [2, 1, 0, 1];
        assert_eq!(
            name_places(&s, 2, Some(0), Some(1)),
            [Side::Unaligned, Side::East, Side::West, Side::East]
        );
        // Both anchors together: their coalition is west, the other east.
        let s = [0, 0, 1];
        assert_eq!(
            name_places(&s, 2, Some(0), Some(1)),
            [Side::West, Side::West, Side::East]
        );
    }
}
