"""Seeded mutations of tabular text (CSV and rudy graphs), shared by the model and data
sections. Each returns (description, new bytes)."""

BAD_CELLS = ["nan", "NaN", "inf", "-inf", "", " ", "x", "-1", "0", "1e309", "-1e309",
             "99999999999999999999", "1e20", "-0", "0x10", "1,5", '"', "名前", "\x00", "1e-320",
             "18446744073709551616", "2147483648", "  12  ", "+7", "1.2.3", "true"]


def split_cells(line, sep):
    return line.split(sep) if sep else line.split()


def join_cells(cells, sep):
    return sep.join(cells) if sep else " ".join(cells)


def mutate_table(rng, raw, sep=",", header=True, kinds=None):
    """One random mutation of a table: a bad cell, rows dropped, duplicated or cut, the
    header alone, nothing at all, a byte cut, an odd encoding."""
    text = raw.decode("utf-8", "replace")
    lines = text.splitlines()
    first = 1 if header else 0
    body = list(range(first, len(lines)))
    kinds = kinds or ["cell", "cell", "cell", "cell", "drop", "dup", "header-only", "empty",
                      "truncate", "cut-line", "extra-col", "missing-col", "crlf", "bom",
                      "blow-up", "half", "swap-header", "blank-lines"]
    kind = rng.choice(kinds)
    if kind in ("drop", "dup", "cell", "cut-line", "extra-col", "missing-col", "half",
                "blow-up") and not body:
        kind = "empty"
    if kind == "cell":
        i = rng.choice(body if rng.random() < 0.85 or not header else [0])
        cells = split_cells(lines[i], sep)
        j = rng.randrange(len(cells)) if cells else 0
        v = rng.choice(BAD_CELLS)
        old = cells[j] if cells else ""
        if cells:
            cells[j] = v
        lines[i] = join_cells(cells, sep) if cells else v
        return f"line {i + 1} cell {j + 1}: {old.strip()[:20]!r} -> {v!r}", enc(lines)
    if kind == "drop":
        i = rng.choice(body)
        return f"line {i + 1} dropped", enc(lines[:i] + lines[i + 1:])
    if kind == "dup":
        i = rng.choice(body)
        return f"line {i + 1} duplicated", enc(lines[: i + 1] + [lines[i]] + lines[i:][1:])
    if kind == "header-only":
        return "header only", enc(lines[:first])
    if kind == "empty":
        return "empty file", b""
    if kind == "truncate":
        cut = rng.randrange(1, max(2, len(raw)))
        return f"truncated at byte {cut}", raw[:cut]
    if kind == "cut-line":
        i = rng.choice(body)
        cells = split_cells(lines[i], sep)
        k = rng.randrange(0, max(1, len(cells)))
        lines[i] = join_cells(cells[:k], sep)
        return f"line {i + 1} cut to {k} cells", enc(lines)
    if kind == "extra-col":
        i = rng.choice(body)
        lines[i] = lines[i] + (sep or " ") + "42"
        return f"line {i + 1} has an extra cell", enc(lines)
    if kind == "missing-col" and header and lines:
        cells = split_cells(lines[0], sep)
        j = rng.randrange(len(cells))
        out = []
        for line in lines:
            c = split_cells(line, sep)
            out.append(join_cells(c[:j] + c[j + 1:], sep))
        return f"column {j + 1} removed", enc(out)
    if kind == "crlf":
        return "CRLF line ends", enc(lines, "\r\n")
    if kind == "bom":
        return "UTF-8 BOM", b"\xef\xbb\xbf" + raw
    if kind == "blow-up":
        k = rng.choice([10, 50])
        rows = [lines[rng.choice(body)] for _ in range(len(body) * k)][:20000]
        return f"{len(rows)} rows from {len(body)} (duplicates)", enc(lines[:first] + rows)
    if kind == "half":
        keep = body[: max(1, len(body) // 2)]
        return f"first {len(keep)} of {len(body)} rows", enc(lines[:first] + [lines[i] for i in keep])
    if kind == "swap-header" and header and lines:
        cells = split_cells(lines[0], sep)
        rng.shuffle(cells)
        lines[0] = join_cells(cells, sep)
        return "header cells shuffled", enc(lines)
    if kind == "blank-lines":
        out = []
        for line in lines:
            out += [line, ""]
        return "a blank line after each line", enc(out)
    return "unchanged copy", raw


def enc(lines, end="\n"):
    return (end.join(lines) + (end if lines else "")).encode("utf-8", "surrogatepass")
