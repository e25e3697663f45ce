# Offline shim for running einhorn's own integration tests by hand: no gems are installed here.
module Bundler
  def self.with_original_env
    yield
  end
end
require "set"
require "socket"
require "fileutils"
require "tmpdir"
