package plugins

import (
	"os"
	"syscall"
)

// fileKey identifies one version of a file's content.
type fileKey struct {
	path         string
	dev, ino     uint64
	size         int64
	mtime, ctime int64
}

// statKey returns the key of the file at path; ok is false when it cannot
// be read.
func statKey(path string) (k fileKey, ok bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileKey{}, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileKey{}, false
	}
	return fileKey{
		path: path, dev: uint64(st.Dev), ino: st.Ino, size: st.Size,
		mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano(),
	}, true
}
