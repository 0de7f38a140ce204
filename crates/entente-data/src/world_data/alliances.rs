//! Ties between states: ATOP obligations, COW alliances, strategic rivalries,
//! group memberships and the hand-coded ties after the alliance data end.

use entente_core::ids::Iso3;
use entente_core::sources::*;

use super::names::{Names, SetAside};
use super::*;
use crate::error::DataError;

pub(super) fn load_atop(ds: &DataSource) -> Result<Vec<AtopRow>, DataError> {
    let t = table(ds, files::ATOP)?;
    let [c1, c2, year, def, off, neu, nonagg, consul] = t.cols([
        "ccode1",
        "ccode2",
        "year",
        "atop_defense",
        "atop_offense",
        "atop_neutral",
        "atop_nonagg",
        "atop_consul",
    ])?;
    t.iter()
        .map(|r| {
            Ok(AtopRow {
                ccode1: r.ccode(c1)?,
                ccode2: r.ccode(c2)?,
                year: r.year(year)?,
                obligations: Obligations {
                    defence: r.flag(def)?,
                    offence: r.flag(off)?,
                    neutrality: r.flag(neu)?,
                    nonaggression: r.flag(nonagg)?,
                    consultation: r.flag(consul)?,
                    cooperation: false,
                },
            })
        })
        .collect()
}

pub(super) fn load_cow_alliances(
    ds: &DataSource,
    aside: &mut SetAside,
) -> Result<Vec<CowAllianceSpell>, DataError> {
    let t = table(ds, files::COW_ALLIANCES)?;
    let mut blank = Vec::new();
    let [id, c1, c2, sd, sm, sy, ed, em, ey, def, neu, nonagg, ent] = t.cols([
        "version4id",
        "ccode1",
        "ccode2",
        "dyad_st_day",
        "dyad_st_month",
        "dyad_st_year",
        "dyad_end_day",
        "dyad_end_month",
        "dyad_end_year",
        "defense",
        "neutrality",
        "nonaggression",
        "entente",
    ])?;
    let out = t
        .iter()
        .map(|r| {
            // A blank type flag is uncoded in the source: read as "not of that type".
            let mut flag = |c| -> Result<bool, DataError> {
                let v = r.opt_flag(c)?;
                if v.is_none() {
                    blank.push(format!("line {} `{}`", r.line(), c.name));
                }
                Ok(v.unwrap_or(false))
            };
            let kind = CowAlliance {
                defense: flag(def)?,
                neutrality: flag(neu)?,
                nonaggression: flag(nonagg)?,
                entente: flag(ent)?,
            };
            let end = if r.str(ey).is_empty() {
                None
            } else {
                Some(r.ymd(ey, em, ed)?)
            };
            let alliance_id = r.i64(id)?;
            Ok(CowAllianceSpell {
                alliance_id: u32::try_from(alliance_id)
                    .map_err(|_| r.err(id, format!("`{alliance_id}` is not an alliance id")))?,
                ccode1: r.ccode(c1)?,
                ccode2: r.ccode(c2)?,
                start: r.ymd(sy, sm, sd)?,
                end,
                kind,
            })
        })
        .collect::<Result<Vec<_>, DataError>>()?;
    aside.add(&t.file, "with a blank alliance-type flag, read as 0", blank);
    Ok(out)
}

pub(super) fn load_rivalries(ds: &DataSource) -> Result<Vec<RivalrySpell>, DataError> {
    let t = table(ds, files::RIVALRIES)?;
    let [name, c1, c2, st, en, pos, spa, ide, int] = t.cols([
        "rivalry",
        "ccode1",
        "ccode2",
        "start",
        "end",
        "positional",
        "spatial",
        "ideological",
        "interventionary",
    ])?;
    t.iter()
        .map(|r| {
            // The type flags are 1 or NA (not of that type).
            let flag = |c| r.opt_flag(c).map(|v| v.unwrap_or(false));
            Ok(RivalrySpell {
                name: r.str(name).to_string(),
                ccode1: r.ccode(c1)?,
                ccode2: r.ccode(c2)?,
                start_year: r.year(st)?,
                end_year: r.year(en)?,
                positional: flag(pos)?,
                spatial: flag(spa)?,
                ideological: flag(ide)?,
                interventionary: flag(int)?,
            })
        })
        .collect()
}

pub(super) fn load_memberships(ds: &DataSource) -> Result<Vec<Membership>, DataError> {
    let t = table(ds, files::MEMBERSHIPS)?;
    let [group, cc, joined, left] = t.cols(["group", "ccode", "joined", "left"])?;
    t.iter()
        .map(|r| {
            if r.str(group).is_empty() {
                return Err(r.err(group, "empty group name"));
            }
            Ok(Membership {
                group: r.str(group).to_string(),
                ccode: r.ccode(cc)?,
                joined: r.opt_date(joined)?,
                left: r.opt_date(left)?,
            })
        })
        .collect()
}

pub(super) fn load_ties(
    ds: &DataSource,
    names: &Names,
    groups: &[String],
) -> Result<Vec<Tie>, DataError> {
    let t = table(ds, files::TIES)?;
    let [id, name, members, obligation, signed, in_force, ended, source] = t.cols([
        "id",
        "name",
        "members",
        "obligation",
        "signed",
        "in_force",
        "ended",
        "source",
    ])?;
    t.iter()
        .map(|r| {
            let mut ms = Vec::new();
            for tok in r.str(members).split(';').map(str::trim) {
                if groups.iter().any(|g| g == tok) {
                    ms.push(TieMember::Group(tok.to_string()));
                    continue;
                }
                let iso: Iso3 = tok.parse().map_err(|e| r.iso3_err(members, e))?;
                let c = names.by_iso3.get(&iso).ok_or_else(|| {
                    r.err(members, format!("`{tok}` is neither a group nor a COW state's ISO3 code"))
                })?;
                ms.push(TieMember::State(*c));
            }
            if ms.len() < 2 {
                return Err(r.err(members, "a tie needs at least two members"));
            }
            let kind = ObligationKind::parse(r.str(obligation)).ok_or_else(|| {
                r.err(
                    obligation,
                    format!(
                        "`{}` is not an obligation (defence, offence, neutrality, nonaggression, consultation, cooperation)",
                        r.str(obligation)
                    ),
                )
            })?;
            Ok(Tie {
                id: r.str(id).to_string(),
                name: r.str(name).to_string(),
                members: ms,
                obligation: kind,
                signed: r.date(signed)?,
                in_force: r.opt_date(in_force)?,
                ended: r.opt_date(ended)?,
                source: r.str(source).to_string(),
            })
        })
        .collect()
}
