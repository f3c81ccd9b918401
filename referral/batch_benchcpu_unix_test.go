//go:build unix

package referral

import (
	"syscall"
	"time"
)

// processCPU is the user+system CPU time of the process so far: on a
// shared machine, CPU time per person extrapolates better than wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
