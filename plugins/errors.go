package plugins

import (
	"errors"

	"github.com/passerelle-sante/passerelle/plugins/internal/wire"
)

// Errors of the host side. Test them with errors.Is.
var (
	// ErrBadManifest: a manifest is missing, unreadable or wrong.
	ErrBadManifest = errors.New("bad plugin manifest")
	// ErrChecksum: the binary is not the one installed.
	ErrChecksum = errors.New("plugin checksum mismatch")
	// ErrOutsideDir: the binary resolves outside the plugin directory.
	ErrOutsideDir = errors.New("plugin binary outside the plugin directory")
	// ErrIncompatible: the plugin speaks a protocol this host does not.
	ErrIncompatible = errors.New("incompatible plugin protocol")
	// ErrNotFound: no plugin of that name is installed.
	ErrNotFound = errors.New("plugin not found")
	// ErrCircuitOpen: the plugin failed too often; calls fail fast until
	// the backoff ends.
	ErrCircuitOpen = errors.New("plugin circuit open")
	// ErrClosed: the plugin was closed.
	ErrClosed = errors.New("plugin closed")

	// Errors of calls across the boundary.
	ErrGarbage      = wire.ErrGarbage
	ErrInvalid      = wire.ErrInvalid
	ErrUnavailable  = wire.ErrUnavailable
	ErrUnsupported  = wire.ErrUnsupported
	ErrPluginFailed = wire.ErrPluginFailed
)

// Kinds a manifest may declare. Wire values.
const (
	KindDirectory = wire.KindDirectory
	KindEventSink = wire.KindEventSink
	KindTerritory = wire.KindTerritory
	KindRules     = wire.KindRules
	KindRegistry  = wire.KindRegistry
)

func knownKinds() []string {
	return []string{KindDirectory, KindEventSink, KindTerritory, KindRules, KindRegistry}
}

// SupportedProtocols lists the plugin protocol versions this host speaks.
func SupportedProtocols() []int { return []int{wire.ProtocolVersion} }
