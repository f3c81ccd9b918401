//go:build unix

package spatial

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user + system) used so far by the test
// process. On a shared, loaded machine wall time per operation mostly
// measures the neighbours; CPU time measures the work.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
