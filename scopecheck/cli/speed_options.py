"""--jobs and --cache, shared by `check` and `audit`, and how they reach Options."""
from __future__ import annotations

from dataclasses import replace

import click

from scopecheck.cli import option_group


# --jobs/-j and --cache/--no-cache
speed_options = option_group(
    click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
                 help="Worker processes for large runs (default: the number of CPU cores; "
                      "small runs always use one)."),
    click.option("--cache/--no-cache", "use_cache", default=True, show_default=True,
                 help="Reuse the results of unchanged files (cache folder: $SCOPECHECK_CACHE_DIR "
                      "or ~/.cache/scopecheck)."),
)


def apply_speed_options(options, jobs: int | None, use_cache: bool):
    """The command line's jobs and cache, with a progress bar for long runs on a terminal."""
    from scopecheck.parallel import available_cpus
    return replace(options, jobs=jobs or available_cpus(), cache=use_cache, progress=True)
