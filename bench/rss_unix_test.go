//go:build unix

package bench

import (
	"bytes"
	"os/exec"
	"strconv"
)

// timeTool is GNU time, when installed. Peak memory is taken from it, not
// from the rusage this process gets back: a child forked from a large
// process such as this test binary inherits that process's peak RSS as
// its own, so only a small parent reports a child's peak truly.
var timeTool, _ = exec.LookPath("/usr/bin/time")

// measured wraps a command so that peakRSSMB can read its peak memory.
func measured(cmd *exec.Cmd) *exec.Cmd {
	if timeTool == "" {
		return cmd
	}
	out := exec.Command(timeTool, append([]string{"-f", rssMark + "%M"}, cmd.Args...)...)
	out.Dir, out.Env = cmd.Dir, cmd.Env
	return out
}

const rssMark = "permcat-bench-peak-rss-kb "

// peakRSSMB finds the peak memory GNU time reported in a measured
// command's output, in MB, and removes the report from the output.
func peakRSSMB(output []byte) (float64, []byte) {
	i := bytes.LastIndex(output, []byte(rssMark))
	if i < 0 {
		return 0, output
	}
	line, _, _ := bytes.Cut(output[i+len(rssMark):], []byte("\n"))
	kb, err := strconv.ParseFloat(string(bytes.TrimSpace(line)), 64)
	if err != nil {
		return 0, output
	}
	return kb / 1024, output[:i]
}
