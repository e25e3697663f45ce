#!/bin/sh
# Runs einhorn 1.1.1's own integration tests (test/integration/{startup,upgrading,pdeathsig}.rb,
# unchanged) against einhorn-node, with the real einhornsh as the client. Local only: it needs
# Ruby and an einhorn checkout; no gem is installed (bundler, subprocess and mocha are shimmed).
#   scripts/einhorn-scenarios/run.sh /path/to/einhorn [NODE]      # einhorn-node as the master
#   EINHORN_MASTER=ruby scripts/einhorn-scenarios/run.sh /path/to/einhorn   # control: Ruby einhorn
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
EINHORN_RUBY=$(cd "${1:?einhorn checkout}" && pwd)
EINHORN_MASTER_NODE=${2:-$repo/node_modules/node/bin/node}
EINHORN_MASTER_CLI=$repo/packages/master/dist/cli.cjs
PATH=$here/bin:$PATH
RUBYLIB=$here/shim:$EINHORN_RUBY/lib
export EINHORN_RUBY EINHORN_MASTER_NODE EINHORN_MASTER_CLI PATH RUBYLIB
cd "$EINHORN_RUBY"
status=0
for test in startup pdeathsig upgrading; do
  ruby "test/integration/$test.rb" ${EINHORN_TEST_ARGS:-} || status=1
done
exit $status
