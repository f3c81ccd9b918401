package plugins

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ManifestSuffix ends the name of a manifest file beside its binary.
const ManifestSuffix = ".manifest.json"

// Manifest describes an installed plugin: what it says of itself
// (name, version, kinds, protocol) and the SHA-256 of the binary that was
// installed, checked before every start.
type Manifest struct {
	Name     string   `json:"name"`
	Version  string   `json:"version"`
	Kinds    []string `json:"kinds"`
	Protocol int      `json:"protocol"`
	// Protocols lists every protocol version the binary speaks (from its
	// describe output); empty in manifests written before it was recorded,
	// which then mean Protocol alone.
	Protocols []int `json:"protocols,omitempty"`
	// SHA256 is the hex digest of the binary.
	SHA256 string `json:"sha256"`
	// Binary is the file name of the binary, inside the plugin directory.
	Binary string `json:"binary"`
}

// Speaks returns the protocol versions the plugin speaks.
func (m Manifest) Speaks() []int {
	if len(m.Protocols) > 0 {
		return m.Protocols
	}
	return []int{m.Protocol}
}

// Compatible returns nil when the plugin speaks a protocol this host
// speaks, else an error wrapping ErrIncompatible naming both sides'
// versions. Open and Verify call it before anything runs; the handshake
// checks again when the process starts.
func (m Manifest) Compatible() error {
	for _, v := range m.Speaks() {
		if slices.Contains(SupportedProtocols(), v) {
			return nil
		}
	}
	return fmt.Errorf("%w: plugin %q %s speaks protocol %s, this host speaks %s: install a build of the plugin for protocol %s, or a passerelle that speaks %s",
		ErrIncompatible, m.Name, m.Version, versions(m.Speaks()), versions(SupportedProtocols()), versions(SupportedProtocols()), versions(m.Speaks()))
}

func versions(vs []int) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, " or ")
}

// Provides reports whether the plugin declares kind.
func (m Manifest) Provides(kind string) bool { return slices.Contains(m.Kinds, kind) }

var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// Check validates a manifest read from file (used in messages as WHERE).
func (m Manifest) Check(file string) error {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s: %s", ErrBadManifest, file, field, fmt.Sprintf(format, args...))
	}
	switch {
	case !validName.MatchString(m.Name):
		return bad("name", "%q is not a plugin name (lower-case letters, digits, . _ -)", m.Name)
	case m.Version == "":
		return bad("version", "empty")
	case len(m.Kinds) == 0:
		return bad("kinds", "empty")
	case m.Protocol <= 0:
		return bad("protocol", "%d is not a protocol version", m.Protocol)
	case len(m.SHA256) != 64 || strings.Trim(m.SHA256, "0123456789abcdef") != "":
		return bad("sha256", "%q is not a hex SHA-256", m.SHA256)
	case m.Binary == "" || filepath.Base(m.Binary) != m.Binary:
		return bad("binary", "%q must be a file name inside the plugin directory", m.Binary)
	case len(m.Protocols) > 0 && !slices.Contains(m.Protocols, m.Protocol):
		return bad("protocols", "%v does not hold protocol %d", m.Protocols, m.Protocol)
	}
	for i, v := range m.Protocols {
		if v <= 0 {
			return bad(fmt.Sprintf("protocols[%d]", i), "%d is not a protocol version", v)
		}
	}
	for i, k := range m.Kinds {
		if !slices.Contains(knownKinds(), k) {
			return bad(fmt.Sprintf("kinds[%d]", i), "unknown kind %q (known: %s)", k, strings.Join(knownKinds(), ", "))
		}
	}
	return nil
}

// FileSHA256 returns the hex SHA-256 of a file.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	// A large buffer: a plugin binary is tens of megabytes.
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{f}, make([]byte, 1<<20)); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// verifiedSums caches the SHA-256 of binaries for the life of the host,
// keyed by what changes whenever a file's content does (device, inode,
// size, modification and status-change times): a plugin restarted after a
// crash, or opened again, is not hashed again while its file is untouched.
var verifiedSums sync.Map // fileKey -> string

// cachedSHA256 is FileSHA256 through verifiedSums. A file that changes
// while it is hashed is not cached.
func cachedSHA256(path string) (string, error) {
	before, ok := statKey(path)
	if ok {
		if sum, hit := verifiedSums.Load(before); hit {
			return sum.(string), nil
		}
	}
	sum, err := FileSHA256(path)
	if err != nil {
		return "", err
	}
	if after, ok2 := statKey(path); ok && ok2 && after == before {
		verifiedSums.Store(before, sum)
	}
	return sum, nil
}

// DescribeBinary runs "BINARY describe" and reads the manifest it prints.
func DescribeBinary(ctx context.Context, binary string) (Manifest, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, binary, "describe").Output()
	if err != nil {
		return Manifest{}, fmt.Errorf("%w: %s describe: %v", ErrBadManifest, binary, err)
	}
	var m Manifest
	if err := json.Unmarshal(out, &m); err != nil {
		return Manifest{}, fmt.Errorf("%w: %s describe: output is not a manifest: %v", ErrBadManifest, binary, err)
	}
	return m, nil
}

// Install copies binary into dir under the plugin's name and writes its
// manifest (what the binary describes, plus its SHA-256). It refuses a
// plugin whose protocol this host does not speak.
func Install(ctx context.Context, binary, dir string) (Manifest, error) {
	m, err := DescribeBinary(ctx, binary)
	if err != nil {
		return Manifest{}, err
	}
	if err := m.Compatible(); err != nil {
		return Manifest{}, fmt.Errorf("%s: %w", binary, err)
	}
	m.Binary = m.Name
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Manifest{}, err
	}
	dst := filepath.Join(dir, m.Binary)
	if err := copyFile(binary, dst); err != nil {
		return Manifest{}, err
	}
	if m.SHA256, err = FileSHA256(dst); err != nil {
		return Manifest{}, err
	}
	if err := m.Check(binary + " describe"); err != nil {
		os.Remove(dst)
		return Manifest{}, err
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, m.Name+ManifestSuffix), append(b, '\n'), 0o644); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".tmp"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// Discover reads every manifest in dir, sorted by name. A manifest that
// does not parse or check is an error naming its file.
func Discover(dir string) ([]Manifest, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("plugin directory: %w", err)
	}
	var out []Manifest
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ManifestSuffix) {
			continue
		}
		file := filepath.Join(dir, e.Name())
		m, err := readManifest(file)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func readManifest(file string) (Manifest, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return Manifest{}, err
	}
	m, err := ParseManifest(file, b)
	if err != nil {
		return Manifest{}, err
	}
	if want := strings.TrimSuffix(filepath.Base(file), ManifestSuffix); m.Name != want {
		return Manifest{}, fmt.Errorf("%w: %s: name: %q does not match the file name", ErrBadManifest, file, m.Name)
	}
	return m, nil
}

// ParseManifest reads and checks one manifest; file names it in errors.
// Unknown keys and trailing data are errors: a manifest is written by
// Install, so anything else in it was put there by someone else.
func ParseManifest(file string, b []byte) (Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("%w: %s: %v", ErrBadManifest, file, err)
	}
	if dec.More() {
		return Manifest{}, fmt.Errorf("%w: %s: data after the manifest", ErrBadManifest, file)
	}
	if err := m.Check(file); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// Verify checks that the plugin speaks a protocol of this host
// (Compatible), that its binary lies inside dir once links are resolved
// and that its SHA-256 matches the manifest. It returns the resolved path
// of the binary. The digest of a file left untouched since it was last
// hashed (same device, inode, size, modification and change times) is
// remembered for the life of the process.
func Verify(dir string, m Manifest) (string, error) {
	if err := m.Compatible(); err != nil {
		return "", err
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", fmt.Errorf("plugin directory: %w", err)
	}
	if root, err = filepath.Abs(root); err != nil {
		return "", err
	}
	path, err := filepath.EvalSymlinks(filepath.Join(dir, m.Binary))
	if err != nil {
		return "", fmt.Errorf("plugin %q: binary: %w", m.Name, err)
	}
	if path, err = filepath.Abs(path); err != nil {
		return "", err
	}
	if rel, err := filepath.Rel(root, path); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%w: plugin %q: binary resolves to %s, outside %s", ErrOutsideDir, m.Name, path, root)
	}
	sum, err := cachedSHA256(path)
	if err != nil {
		return "", fmt.Errorf("plugin %q: %w", m.Name, err)
	}
	if sum != m.SHA256 {
		return "", fmt.Errorf("%w: plugin %q: %s has SHA-256 %s, the manifest says %s", ErrChecksum, m.Name, path, sum, m.SHA256)
	}
	return path, nil
}
