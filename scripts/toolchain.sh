#!/usr/bin/env bash
# Source this file: it puts Node >= 24 and pnpm 12 on PATH.
# When the machine's own are good enough it does nothing; otherwise it installs both from the npm
# registry into .toolchain/ (git-ignored) once and prepends .toolchain/node_modules/.bin to PATH.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want_pnpm="12.4.2"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
have_good_tools() { [ "$(node_major)" -ge 24 ] && [ "$(pnpm --version 2>/dev/null)" = "$want_pnpm" ]; }

if ! have_good_tools; then
  export PATH="$root/.toolchain/node_modules/.bin:$PATH"
  if ! have_good_tools; then
    # Several shells may source this at once (parallel jobs, editors): one installs under a lock, into a fresh
    # directory that is renamed into place whole, and the others wait for it and then find the tools there.
    (
      flock 9
      if ! have_good_tools; then
        echo "toolchain: installing node@24 and pnpm@$want_pnpm into .toolchain/" >&2
        staging="$(mktemp -d "$root/.toolchain-staging.XXXXXX")"
        npm install --prefix "$staging" --no-audit --no-fund "node@24" "pnpm@$want_pnpm" >&2 &&
          rm -rf "$root/.toolchain" && mv "$staging" "$root/.toolchain" || { rm -rf "$staging"; exit 1; }
      fi
    ) 9>"$root/.toolchain.lock" || return 1 2>/dev/null || exit 1
  fi
fi
echo "toolchain: node $(node --version), pnpm $(pnpm --version)" >&2
