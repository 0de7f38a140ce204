# The R loader's check (scripts/r-test.sh): reads a small run written by `entente run --csv`
# and its run store. Usage: Rscript R/tests/check.R RUN_DIR STORE
suppressPackageStartupMessages(library(entente))  # entente::cite masks utils::cite
args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 2)
dir <- args[1]
store <- args[2]
passed <- 0
failed <- 0
check <- function(what, ok) {
  if (isTRUE(ok)) {
    passed <<- passed + 1
  } else {
    failed <<- failed + 1
    cat("FAILED:", what, "\n")
  }
}
fails <- function(expr, pattern) {
  msg <- tryCatch({ force(expr); "" }, error = function(e) conditionMessage(e))
  grepl(pattern, msg)
}

r <- read_run(dir)
check("claims: one row per claim", identical(r$claims$claim, c("china-spends-more", "japan-safer", "not-modelled")))
check("claims: statuses", all(r$claims$status %in% c("empirical", "prior_bound", "robust", "structural", "not_modelled")))
nm <- r$claims[r$claims$claim == "not-modelled", ]
check("claims: not modelled is NA, not 0", is.na(nm$probability))
check("claims: probabilities in [0, 1]", all(r$claims$probability[!is.na(r$claims$probability)] >= 0 &
                                          r$claims$probability[!is.na(r$claims$probability)] <= 1))
expected_from <- if (requireNamespace("arrow", quietly = TRUE)) "parquet" else "csv"
check(paste("draws from", expected_from), identical(r$draws_from, expected_from))
d <- r$draws
check("draws: fixed columns", all(c("draw", "option", "year", "state", "metric", "value") %in% names(d)))
check("draws: option is a factor", is.factor(d$option) && setequal(levels(d$option), c("status-quo", "quad-defence")))
# 2 base samples x (k + 2), k = 10 uncertain parameters of quad-pact.toml.
check("draws: 24 draws (2 base samples x 12)", length(unique(d$draw)) == 24)
check("draws: system state is empty, not NA", any(d$state == "") && !anyNA(d$state))
milex <- d[d$metric == "milex_const2023_usd_m" & d$state == "CHN", ]
check("draws: China's spending path is positive", nrow(milex) > 0 && all(milex$value > 0, na.rm = TRUE))
check("codebook lists every metric", all(setdiff(unique(d$metric), r$codebook$metric) == character(0)))
if (requireNamespace("jsonlite", quietly = TRUE)) {
  check("summary parsed", grepl("^entente.run-summary/", r$summary$schema))
  check("run.json parsed", identical(r$run$status, "complete"))
}
rs <- runs(store)
check("runs: one complete run", nrow(rs) == 1 && rs$status == "complete" && rs$scenario == "quad-pact")
check("runs: times are POSIXct", inherits(rs$started_at, "POSIXct") && !is.na(rs$started_at))
check("runs: out_dir is the run", normalizePath(rs$out_dir) == normalizePath(dir))
cl <- run_claims(rs$id, store)
check("store claims: the modelled ones", setequal(cl$claim, c("china-spends-more", "japan-safer")))
same <- merge(cl, r$claims, by = "claim")
check("store claims equal claims.csv", isTRUE(all.equal(same$probability.x, same$probability.y)))
ct <- cite()
check("cite: data sets and models", all(c("data", "model") %in% ct$role) && any(grepl("SIPRI", ct$citation)))
check("cite: bibtex", grepl("^@", cite(bibtex = TRUE)))
check("read_run: a missing folder is an error", fails(read_run(file.path(dir, "nope")), "no such run folder"))
check("runs: a missing store is an error", fails(runs(file.path(dir, "nope.sqlite")), "no run store"))
empty <- tempfile()
dir.create(empty)
invisible(file.copy(file.path(dir, c("claims.csv", "codebook.csv")), empty))
check("read_run: no draws says how to get them", fails(read_run(empty), if (expected_from == "csv") "install the arrow package" else "draws"))
cat(sprintf("r-check: %d passed, %d failed\n", passed, failed))
if (failed > 0) quit(status = 1)
