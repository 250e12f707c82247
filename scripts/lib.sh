# Shared by scripts/*: make the pinned pnpm available on a machine that has only Node and npm.
# Corepack is not relied on: its signature check fails on some Node 20 builds.
ensure_pnpm() {
  local want
  want=$(node -p "require('./package.json').packageManager.split('@')[1]")
  if ! command -v pnpm >/dev/null 2>&1 || [[ "$(pnpm -v 2>/dev/null)" != "$want" ]]; then
    echo "pnpm: installing pnpm@$want with npm"
    npm install -g "pnpm@$want" >/dev/null
    hash -r
  fi
}
