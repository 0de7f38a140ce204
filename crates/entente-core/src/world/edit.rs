//! Edits of the alliance network: the changes policy options make.

use super::*;

/// Every pair of distinct states on different sides, each pair once.
fn cross_pairs(sides: &[Vec<Ccode>]) -> Vec<(Ccode, Ccode)> {
    let mut out: Vec<(Ccode, Ccode)> = Vec::new();
    for (x, sa) in sides.iter().enumerate() {
        for sb in &sides[x + 1..] {
            for &a in sa {
                for &b in sb {
                    if a != b {
                        out.push(key(a, b));
                    }
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl World {
    /// Add a multilateral pact: `kind` between every pair of its members (the
    /// union of `sides`), as an alliance binds all its members (an edit of the
    /// alliance network, e.g. a policy option). `id` names it in dyad tables.
    pub fn add_pact(&mut self, id: &str, sides: &[Vec<Ccode>], kind: ObligationKind) {
        let mut members: Vec<Ccode> = sides.iter().flatten().copied().collect();
        members.sort_unstable();
        members.dedup();
        for (a, b) in cross_pairs(&members.iter().map(|&m| vec![m]).collect::<Vec<_>>()) {
            let e = self.obligations.entry(key(a, b)).or_default();
            e.0 = e.0.union(Obligations::of_kind(kind));
            if !e.1.iter().any(|t| t == id) {
                e.1.push(id.to_string());
            }
        }
    }

    /// Remove `kind` between every pair of states on different `sides`, whatever
    /// treaty it came from (e.g. a member leaving an alliance). COW's alliance
    /// record of the pair is cleared too when `kind` is defence.
    pub fn remove_pact(&mut self, sides: &[Vec<Ccode>], kind: ObligationKind) {
        for (a, b) in cross_pairs(sides) {
            let k = key(a, b);
            if let Some(e) = self.obligations.get_mut(&k) {
                match kind {
                    ObligationKind::Defence => e.0.defence = false,
                    ObligationKind::Offence => e.0.offence = false,
                    ObligationKind::Neutrality => e.0.neutrality = false,
                    ObligationKind::Nonaggression => e.0.nonaggression = false,
                    ObligationKind::Consultation => e.0.consultation = false,
                    ObligationKind::Cooperation => e.0.cooperation = false,
                }
            }
            if kind == ObligationKind::Defence {
                if let Some(c) = self.cow_alliances.get_mut(&k) {
                    c.defense = false;
                }
            }
        }
    }
}
