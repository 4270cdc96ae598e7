#!/usr/bin/env bash
# Moves the major tag of a release (v1 for v1.2.3) to the release commit,
# after checking that the tag is a semantic version, that it is checked out,
# and that dist/ matches a fresh build. The release workflow runs it on the
# pushed tag. With --dry-run it prints the git commands instead of running
# them, so it can be tried in any clone.
#
# Usage: scripts/release.sh <tag> [--dry-run]
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/release.sh <tag> [--dry-run]

<tag> is the release tag, vMAJOR.MINOR.PATCH with an optional -prerelease
and +build part (v1.2.3, v2.0.0-rc.1). It must exist and be checked out.

Builds dist/ with "npm run build" and stops when the result differs from
the committed files. Then it moves the tag vMAJOR to the release commit and
pushes it to origin with --force. A prerelease, or a release older than
the newest one of its major version, leaves vMAJOR where it is.

  --dry-run   print the git commands instead of running them

Environment:
  RELEASE_BRANCH   branch the release commit must be on (default main);
                   empty skips the check
EOF
}

tag=
dry_run=false
for arg in "$@"; do
  case $arg in
    --dry-run) dry_run=true ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*)
      echo "release: unknown option '$arg'." >&2
      usage >&2
      exit 2
      ;;
    *)
      if [[ -n $tag ]]; then
        echo "release: give one tag, not '$tag' and '$arg'." >&2
        exit 2
      fi
      tag=$arg
      ;;
  esac
done
if [[ -z $tag ]]; then
  usage >&2
  exit 2
fi

# Semantic Versioning 2.0.0: numbers without leading zeros, then optional
# dot-separated prerelease and build identifiers.
number='(0|[1-9][0-9]*)'
identifiers='[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*'
semver="^v$number\.$number\.$number(-$identifiers)?(\+$identifiers)?$"
if [[ ! $tag =~ $semver ]]; then
  echo "release: tag '$tag' is not a semantic version such as v1.2.3 or" \
    "v2.0.0-rc.1." >&2
  exit 1
fi
major=v${BASH_REMATCH[1]}
prerelease=false
[[ $tag == *-* ]] && prerelease=true

cd "$(dirname "$0")/.."

commit=$(git rev-parse --verify --quiet "refs/tags/$tag^{commit}") || {
  echo "release: tag $tag does not exist. Create it on the release commit" \
    "first: git tag -a $tag -m $tag <commit>" >&2
  exit 1
}
head=$(git rev-parse HEAD)
if [[ $head != "$commit" ]]; then
  echo "release: HEAD is $head, but $tag is $commit. Check out the tag" \
    "first (git checkout $tag), so that dist/ is checked at the release." >&2
  exit 1
fi

branch=${RELEASE_BRANCH-main}
if [[ -n $branch ]]; then
  if ! git rev-parse --verify --quiet "refs/remotes/origin/$branch" \
    >/dev/null; then
    echo "release: origin/$branch is unknown. Fetch it (git fetch origin" \
      "$branch), or set RELEASE_BRANCH= to skip this check." >&2
    exit 1
  fi
  if ! git merge-base --is-ancestor "$commit" "refs/remotes/origin/$branch"; then
    echo "release: $tag ($commit) is not on origin/$branch. Release only" \
      "commits that are on $branch." >&2
    exit 1
  fi
fi

if [[ -n $(git status --porcelain --untracked-files=no) ]]; then
  git status --short --untracked-files=no >&2
  echo "release: the work tree has uncommitted changes. Commit or stash" \
    "them, so that the check of dist/ sees the release as tagged." >&2
  exit 1
fi

echo "release: building dist/ for $tag"
npm run build
if [[ -n $(git status --porcelain -- dist/) ]]; then
  git status --short -- dist/ >&2
  echo "release: dist/ at $tag differs from a fresh build of src/. Run" \
    "\"npm run build\", commit dist/ and tag the new commit." >&2
  exit 1
fi
echo "release: dist/ matches the sources"

if [[ $prerelease == true ]]; then
  echo "release: $tag is a prerelease, so $major stays where it is"
  exit 0
fi

# The major tag follows the newest release of its major version only, so a
# patch for an older minor version does not move it back.
# Tags with build metadata (v1.2.3+build.5) count as releases too.
newest=$(git tag --list "$major.*.*" |
  grep -E "^$major\.$number\.$number(\+$identifiers)?$" | sort -V |
  tail -n 1)
if [[ $newest != "$tag" ]]; then
  echo "release: $newest is newer than $tag, so $major is left alone"
  exit 0
fi

commands=(
  "git tag --force $major $commit"
  "git push --force origin refs/tags/$major"
)
if [[ $dry_run == true ]]; then
  echo "release: dry run; these commands would move $major to $tag:"
  printf '  %s\n' "${commands[@]}"
  exit 0
fi
git tag --force "$major" "$commit"
git push --force origin "refs/tags/$major"
echo "release: $major now points at $tag ($commit)"
