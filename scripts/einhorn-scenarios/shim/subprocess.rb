# Minimal stand-in for the `subprocess` gem (the API einhorn's integration helpers use).
module Subprocess
  PIPE = :pipe
  class NonZeroExit < StandardError
    attr_reader :status
    def initialize(cmd, status)
      @status = status
      super("#{cmd.inspect} exited with #{status.inspect}")
    end
  end

  class Process
    attr_reader :pid
    def initialize(cmd, opts = {})
      opts = opts.dup
      env = opts.delete(:env)
      spawn_opts = {}
      @readers = {}
      %i[stdout stderr].each do |key|
        value = opts.delete(key)
        if value == PIPE
          r, w = IO.pipe
          @readers[key] = r
          spawn_opts[key == :stdout ? :out : :err] = w
        elsif value
          spawn_opts[key == :stdout ? :out : :err] = value
        end
      end
      stdin = opts.delete(:stdin)
      spawn_opts[:in] = stdin if stdin
      cwd = opts.delete(:cwd)
      spawn_opts[:chdir] = cwd if cwd
      args = env ? [env, *cmd] : cmd
      @pid = ::Process.spawn(*args, spawn_opts.merge(unsetenv_others: !env.nil?))
      spawn_opts.each_value { |v| v.close if v.is_a?(IO) }
      @mutex = Mutex.new
      @status = nil
    end

    def communicate
      threads = @readers.map { |key, io| Thread.new { [key, io.read] } }
      out = threads.map(&:value).to_h
      wait
      [out[:stdout], out[:stderr]]
    end

    def poll
      @mutex.synchronize do
        return @status if @status
        pid = ::Process.waitpid(@pid, ::Process::WNOHANG)
        @status = $? if pid
        @status
      end
    end

    def wait
      loop do
        status = poll
        return status if status
        sleep 0.05
      end
    end

    def send_signal(signal)
      ::Process.kill(signal, @pid)
    rescue Errno::ESRCH
      nil
    end

    def terminate
      send_signal("TERM")
    end
  end

  def self.check_call(cmd, opts = {})
    process = Process.new(cmd, opts)
    yield process if block_given?
    status = process.wait
    raise NonZeroExit.new(cmd, status) unless status.exitstatus == 0
    status
  end
end
