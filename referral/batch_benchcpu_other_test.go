//go:build !unix

package referral

import "time"

func processCPU() time.Duration { return 0 }
