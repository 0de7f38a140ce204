//! One run's turns: views of a state, challenges seen by every actor,
//! bargains and the election among them (KTAB's SMP, O(n^3) per turn).

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::*;

/// The fixed parts of a run: actors and options.
pub(super) struct Model {
    pub(super) n: usize,
    pub(super) d: usize,
    pub(super) cfg: SmpConfig,
    pub(super) cap: Vec<f64>,
    pub(super) sal: Vec<f64>,
    /// Sum of each actor's saliences, in KTAB's order.
    pub(super) sal_sum: Vec<f64>,
}

/// What a state implies: distances, risk attitudes and own utilities.
pub(super) struct View {
    /// `vd[i*n+j]`: distance from i's ideal (= its position) to j's position, i's saliences.
    pub(super) vd: Vec<f64>,
    /// Risk attitude of each actor.
    pub(super) nra: Vec<f64>,
    /// `own[i*n+j]`: i's utility for j's position, by i's own estimate of its attitude.
    pub(super) own: Vec<f64>,
}

/// A proposed bargain; `init == rcvr` is the status quo of that actor.
pub(super) struct Bargain {
    pub(super) init: usize,
    pub(super) rcvr: usize,
    pub(super) pos_init: Vec<f64>,
    pub(super) pos_rcvr: Vec<f64>,
}

impl Model {
    pub(super) fn new(s: &SmpScenario, cfg: SmpConfig) -> Model {
        let n = s.actors.len();
        let d = s.dimensions.len();
        Model {
            n,
            d,
            cfg,
            cap: s.actors.iter().map(|a| a.capability).collect(),
            sal: s
                .actors
                .iter()
                .flat_map(|a| a.salience.iter().copied())
                .collect(),
            sal_sum: s.actors.iter().map(|a| sum_seq(&a.salience)).collect(),
        }
    }

    pub(super) fn p<'a>(&self, pos: &'a [f64], i: usize) -> &'a [f64] {
        &pos[i * self.d..(i + 1) * self.d]
    }

    pub(super) fn s(&self, i: usize) -> &[f64] {
        &self.sal[i * self.d..(i + 1) * self.d]
    }

    /// h's estimate of i's risk attitude.
    pub(super) fn est(&self, nra: &[f64], h: usize, i: usize) -> f64 {
        let (rh, ri) = (nra[h], nra[i]);
        match self.cfg.risk_adjust {
            RiskAdjust::Full => ri,
            RiskAdjust::TwoThirds => (rh + 2.0 * ri) / 3.0,
            RiskAdjust::Half => (rh + ri) / 2.0,
            RiskAdjust::OneThird => (2.0 * rh + ri) / 3.0,
            RiskAdjust::None => rh,
        }
    }

    pub(super) fn view(&self, pos: &[f64]) -> Result<View, SmpError> {
        let n = self.n;
        let vd: Vec<f64> = (0..n * n)
            .into_par_iter()
            .map(|x| {
                let (i, j) = (x / n, x % n);
                bv_diff(self.p(pos, i), self.p(pos, j), self.s(i))
            })
            .collect();
        // Risk attitudes from a risk-neutral election over all positions.
        let rn: Vec<f64> = vd.iter().map(|&x| bs_util(x, 0.0)).collect();
        let c = kernel::coalitions(self.cfg.vote_rule, &self.cap, &rn, n, n);
        let p = kernel::election(self.cfg.pce, self.cfg.victory, &c, n)?;
        let nra = self.risk_from_prob(&p);
        let own: Vec<f64> = (0..n * n)
            .into_par_iter()
            .map(|x| {
                let i = x / n;
                bs_util(vd[x], self.est(&nra, i, i))
            })
            .collect();
        Ok(View { vd, nra, own })
    }

    pub(super) fn risk_from_prob(&self, p: &[f64]) -> Vec<f64> {
        let mut p_min = 1.0;
        let mut p_max = 0.0;
        for &x in p {
            if x < p_min {
                p_min = x;
            }
            if x > p_max {
                p_max = x;
            }
        }
        if p_max - p_min <= 0.0 {
            // All positions equally likely (KTAB divides by zero here): risk neutral.
            return vec![0.0; p.len()];
        }
        p.iter()
            .map(|&x| match self.cfg.risk_range {
                RiskRange::Min => (x - p_min) / (p_max - p_min),
                RiskRange::Mid => (3.0 * x - (p_max + 2.0 * p_min)) / (2.0 * (p_max - p_min)),
                RiskRange::Max => (2.0 * x - (p_max + p_min)) / (p_max - p_min),
            })
            .collect()
    }

    /// KTAB's `pDist(-1)` and `posProb`: election over unique positions with each
    /// actor's own utilities; each actor gets the probability of its position.
    pub(super) fn position_probabilities(
        &self,
        pos: &[f64],
        v: &View,
    ) -> Result<Vec<f64>, SmpError> {
        let n = self.n;
        let equiv = |i: usize, j: usize| {
            let (a, b) = (self.p(pos, i), self.p(pos, j));
            let mut s = 0.0;
            for k in 0..self.d {
                let x = a[k] - b[k];
                s += x * x;
            }
            s.sqrt() < POSITION_TOLERANCE
        };
        let mut uniq: Vec<usize> = Vec::new();
        for i in 0..n {
            if !uniq.iter().any(|&k| equiv(i, k)) {
                uniq.push(i);
            }
        }
        let m = uniq.len();
        let mut u = vec![0.0; n * m];
        for i in 0..n {
            for (jj, &j) in uniq.iter().enumerate() {
                u[i * m + jj] = v.own[i * n + j];
            }
        }
        let p = kernel::scalar_election(
            self.cfg.vote_rule,
            self.cfg.victory,
            self.cfg.pce,
            &self.cap,
            &u,
            n,
            m,
        )?;
        // KTAB takes the last unique position equivalent to the actor's.
        Ok((0..n)
            .map(|i| {
                let k = (0..m).rev().find(|&jj| equiv(i, uniq[jj])).unwrap_or(0);
                p[k]
            })
            .collect())
    }

    /// h's estimate of the probability that i beats j and of k's expected gain
    /// from i challenging j (KTAB's `probEduChlg`).
    pub(super) fn challenge(
        &self,
        v: &View,
        est_h: &[f64],
        k: usize,
        i: usize,
        j: usize,
    ) -> (f64, f64) {
        let n = self.n;
        let rule = self.cfg.vote_rule;
        let u = |a: usize, b: usize| bs_util(v.vd[a * n + b], est_h[a]);
        let (uii, uij, uji, ujj) = (u(i, i), u(i, j), u(j, i), u(j, j));
        let (uki, ukj) = (u(k, i), u(k, j));
        let eu_sq = uki + ukj;
        let uhkij = uki + uki;
        let uhkji = ukj + ukj;
        let si = self.sal_sum[i];
        let sj = self.sal_sum[j];
        let ci = kernel::vote(rule, si * self.cap[i], uii, uij);
        let cj = kernel::vote(rule, sj * self.cap[j], uji, ujj);
        let mut chij = 1e-10;
        let mut chji = 1e-10;
        for c in [ci, cj] {
            if c > 0.0 {
                chij += c;
            }
            if c < 0.0 {
                chji -= c;
            }
        }
        let (base_i, base_j) = (chij, chji);
        for m in 0..n {
            if m == i || m == j {
                continue;
            }
            let wn = self.sal_sum[m] * self.cap[m];
            let (umi, umj, umm) = (u(m, i), u(m, j), u(m, m));
            // The third party's chance of i winning if it alone joins the principals.
            let cmn = kernel::vote(rule, wn, umi, umj);
            let cni = if cmn > 0.0 { base_i + cmn } else { base_i };
            let cnj = if cmn < 0.0 { base_j - cmn } else { base_j };
            let pin = cni / (cni + cnj);
            let pjn = 1.0 - pin;
            let vm = self.third_party_vote(wn, pin, pjn, umi, umj, umm);
            if vm > 0.0 {
                chij += vm;
            }
            if vm < 0.0 {
                chji -= vm;
            }
        }
        let phij = chij / (chij + chji);
        let phji = chji / (chij + chji);
        let eu_cntst = phij * uhkij + phji * uhkji;
        let eu_chlg = (1.0 - sj) * uhkij + sj * eu_cntst;
        (phij, eu_chlg - eu_sq)
    }

    /// KTAB's `thirdPartyVoteSU`: the vote of a third party between joining i or j.
    pub(super) fn third_party_vote(
        &self,
        w: f64,
        pik: f64,
        pjk: f64,
        uki: f64,
        ukj: f64,
        ukk: f64,
    ) -> f64 {
        let (ik_def_j, j_def_ik, i_def_jk, jk_def_i) = match self.cfg.third_party {
            ThirdPartyCommit::Full => (
                uki + uki + uki,
                ukj + ukj + ukj,
                uki + uki + uki,
                ukj + ukj + ukj,
            ),
            ThirdPartyCommit::Semi => (
                uki + uki + ukk,
                ukj + ukj + ukj,
                uki + uki + uki,
                ukj + ukj + ukk,
            ),
            ThirdPartyCommit::No => (
                uki + uki + ukk,
                ukj + ukj + ukk,
                uki + uki + ukk,
                ukj + ukj + ukk,
            ),
        };
        let u_ik_j = pik * ik_def_j + pjk * j_def_ik;
        let u_i_jk = pik * i_def_jk + pjk * jk_def_i;
        kernel::vote(self.cfg.vote_rule, w, u_ik_j, u_i_jk)
    }

    pub(super) fn est_row(&self, v: &View, h: usize) -> Vec<f64> {
        (0..self.n).map(|a| self.est(&v.nra, h, a)).collect()
    }

    /// i's best target: (j, P[i beats j], gain), if any gain exceeds 1e-5.
    pub(super) fn best_challenge(&self, v: &View, i: usize) -> Option<(usize, f64, f64)> {
        let est_i = self.est_row(v, i);
        let mut best: Option<(usize, f64, f64)> = None;
        let mut best_eu = -1.0;
        for j in (0..self.n).filter(|&j| j != i) {
            let (p, edu) = self.challenge(v, &est_i, i, i, j);
            if 1e-5 < edu && best_eu < edu {
                best = Some((j, p, edu));
                best_eu = edu;
            }
        }
        best
    }

    pub(super) fn interpolate(
        &self,
        pos: &[f64],
        i: usize,
        j: usize,
        prb_i: f64,
        prb_j: f64,
    ) -> Bargain {
        let d = self.d;
        let (ti, tj) = (self.p(pos, i), self.p(pos, j));
        let (si, sj) = (self.s(i), self.s(j));
        let mut bi = vec![0.0; d];
        let mut bj = vec![0.0; d];
        let round4 = |x: f64| ((0.5 + x * 10000.0) as i64) as f64 / 10000.0;
        for k in 0..d {
            let (tik, tjk, sik, sjk) = (ti[k], tj[k], si[k], sj[k]);
            const MIN_W: f64 = 1e-6;
            match self.cfg.interpolation {
                Interpolation::S1P1 | Interpolation::S2P2 => {
                    let (wik, wjk) = if self.cfg.interpolation == Interpolation::S2P2 {
                        ((sik * sik) * (prb_i * prb_i), (sjk * sjk) * (prb_j * prb_j))
                    } else {
                        (sik * prb_i, sjk * prb_j)
                    };
                    bi[k] = round4(((wik + MIN_W) * tik + wjk * tjk) / (wik + MIN_W + wjk));
                    bj[k] = round4((wik * tik + (MIN_W + wjk) * tjk) / (wik + MIN_W + wjk));
                }
                Interpolation::S2PMax => {
                    let di = if prb_j > prb_i { prb_j - prb_i } else { 0.0 };
                    let dj = if prb_i > prb_j { prb_i - prb_j } else { 0.0 };
                    let (sik2, sjk2) = (sik * sik, sjk * sjk);
                    let dik = (di * sjk2) / ((di * sjk2) + MIN_W + ((1.0 - di) * sik2));
                    let djk = (dj * sik2) / ((dj * sik2) + MIN_W + ((1.0 - dj) * sjk2));
                    bi[k] = tik + dik * (tjk - tik);
                    bj[k] = tjk + djk * (tik - tjk);
                }
            }
        }
        Bargain {
            init: i,
            rcvr: j,
            pos_init: bi,
            pos_rcvr: bj,
        }
    }

    /// The bargains actor i proposes (none if no challenge pays).
    pub(super) fn proposals(&self, pos: &[f64], v: &View, i: usize) -> Vec<Bargain> {
        let Some((j, pii_j, _)) = self.best_challenge(v, i) else {
            return Vec::new();
        };
        let iij = self.interpolate(pos, i, j, pii_j, 1.0 - pii_j);
        if self.cfg.bargain_model == BargainModel::InitOnly {
            return vec![iij];
        }
        // KTAB feeds j's estimated *gain* of i's challenge to i where a probability
        // is meant (`get<1>` of probEduChlg); kept to reproduce KTAB.
        let est_j = self.est_row(v, j);
        let (_, pji_j) = self.challenge(v, &est_j, i, i, j);
        let jij = self.interpolate(pos, i, j, pji_j, 1.0 - pji_j);
        match self.cfg.bargain_model {
            BargainModel::InitRcvr => vec![iij, jij],
            _ => {
                // KTAB weighs both sides with the initiator's capability.
                let wi = self.cap[i] * self.sal_sum[i];
                let wj = self.cap[i] * self.sal_sum[j];
                let mix = |a: &[f64], b: &[f64]| -> Vec<f64> {
                    (0..self.d)
                        .map(|k| (wi * a[k] + wj * b[k]) / (wi + wj))
                        .collect()
                };
                vec![Bargain {
                    init: i,
                    rcvr: j,
                    pos_init: mix(&iij.pos_init, &jij.pos_init),
                    pos_rcvr: mix(&iij.pos_rcvr, &jij.pos_rcvr),
                }]
            }
        }
    }

    /// Average utility to each actor of the state after bargain `b`.
    pub(super) fn bargain_utilities(&self, pos: &[f64], v: &View, b: &Bargain) -> Vec<f64> {
        let n = self.n;
        let na = n as f64;
        (0..n)
            .map(|a| {
                let own = &v.own[a * n..(a + 1) * n];
                let mut u = 0.0;
                if b.init == b.rcvr {
                    for &x in own {
                        u += x;
                    }
                } else {
                    // `posUtil` uses the actor's own attitude directly, not its estimate.
                    let r = v.nra[a];
                    // Ideals track positions under KTAB's identity accommodation.
                    let ideal = self.p(pos, a);
                    u += bs_util(bv_diff(ideal, &b.pos_init, self.s(a)), r);
                    u += bs_util(bv_diff(ideal, &b.pos_rcvr, self.s(a)), r);
                    for (m, &x) in own.iter().enumerate() {
                        if m != b.init && m != b.rcvr {
                            u += x;
                        }
                    }
                }
                u / na
            })
            .collect()
    }

    pub(super) fn step(
        &self,
        pos: &[f64],
        v: &View,
        rng: Option<&mut ChaCha8Rng>,
    ) -> Result<Vec<f64>, SmpError> {
        let n = self.n;
        let d = self.d;
        let proposed: Vec<Vec<Bargain>> = (0..n)
            .into_par_iter()
            .map(|i| self.proposals(pos, v, i))
            .collect();
        // Bargain list: status quos first (index = actor), then proposals.
        let mut bargains: Vec<Bargain> = (0..n)
            .map(|k| Bargain {
                init: k,
                rcvr: k,
                pos_init: self.p(pos, k).to_vec(),
                pos_rcvr: self.p(pos, k).to_vec(),
            })
            .collect();
        // Queues in KTAB's order: k's queue gets its status quo when the loop over
        // initiators reaches k, and every bargain when its initiator is reached.
        let mut queues: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, props) in proposed.into_iter().enumerate() {
            queues[i].push(i);
            let first = bargains.len();
            let count = props.len();
            bargains.extend(props);
            if count > 0 {
                let j = bargains[first].rcvr;
                for b in first..first + count {
                    queues[i].push(b);
                }
                for b in first..first + count {
                    queues[j].push(b);
                }
            }
        }
        let sq_u = self.bargain_utilities(pos, v, &bargains[0]);
        let utils: Vec<Option<Vec<f64>>> = (0..bargains.len())
            .into_par_iter()
            .map(|b| (b >= n).then(|| self.bargain_utilities(pos, v, &bargains[b])))
            .collect();
        let util = |b: usize| -> &[f64] { utils[b].as_deref().unwrap_or(&sq_u) };
        let probs: Vec<Vec<f64>> = queues
            .par_iter()
            .map(|q| {
                let m = q.len();
                let mut u = vec![0.0; n * m];
                for (c, &b) in q.iter().enumerate() {
                    for (a, &x) in util(b).iter().enumerate() {
                        u[a * m + c] = x;
                    }
                }
                kernel::scalar_election(
                    self.cfg.vote_rule,
                    self.cfg.victory,
                    self.cfg.pce,
                    &self.cap,
                    &u,
                    n,
                    m,
                )
            })
            .collect::<Result<_, _>>()?;
        let mut rng = rng;
        let mut next = vec![0.0; n * d];
        for k in 0..n {
            let p = &probs[k];
            let chosen = match rng.as_deref_mut() {
                None => kernel::first_max(p),
                Some(r) => draw(r, p),
            };
            let b = &bargains[queues[k][chosen]];
            let new = if b.init == b.rcvr || b.init == k {
                &b.pos_init
            } else {
                &b.pos_rcvr
            };
            next[k * d..(k + 1) * d].copy_from_slice(new);
        }
        Ok(next)
    }
}

/// Draw an index with probabilities `p` (KTAB's `probSel`).
pub(super) fn draw(rng: &mut ChaCha8Rng, p: &[f64]) -> usize {
    let x: f64 = rng.random();
    let mut acc = 0.0;
    for (i, &pi) in p.iter().enumerate() {
        acc += pi;
        if x < acc {
            return i;
        }
    }
    p.len() - 1
}
