//go:build !linux

package plugins

// fileKey identifies one version of a file's content.
type fileKey struct{ path string }

// statKey reports false where the change time of a file is not read: every
// verification then hashes the binary.
func statKey(string) (fileKey, bool) { return fileKey{}, false }
