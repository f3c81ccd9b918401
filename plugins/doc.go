// Package plugins is the host side of passerelle's plugin SDK: regional
// systems (a GRADeS's directory of mediation places, a CPAM's information
// system that receives activity records) run as separate executables,
// written with plugins/sdk, and a crash in them never takes the host down.
//
// # Installing and verifying
//
// Install runs "BINARY describe", copies the binary into the plugin
// directory and writes NAME.manifest.json beside it (name, version, kinds,
// the protocol versions it speaks, SHA-256). Discover reads the manifests;
// Verify refuses a plugin that speaks none of this host's protocol
// versions (ErrIncompatible, naming both sides' versions), a binary whose
// checksum differs (ErrChecksum) or that resolves outside the directory
// through a link (ErrOutsideDir). Open verifies before anything runs, and
// every start verifies again just before exec; a binary whose file is
// untouched since it was hashed (same device, inode, size, modification
// and change times) is not hashed again in the same process.
//
// # Running
//
// A Plugin starts on first use over gRPC with AutoMTLS, negotiates the
// protocol (go-plugin VersionedPlugins: the handshake refuses, as a second
// line, a binary whose manifest lied about its protocol), and bounds every
// call with a timeout. A crashed process is restarted on the next call;
// after BreakAfter failures in a row the circuit opens and calls fail fast
// with ErrCircuitOpen for a backoff that doubles up to MaxBackoff. The
// plugin's log records land in the host's log/slog with a "plugin"
// attribute. A plugin exits by itself when the host dies (plugins/sdk).
//
// # What the domain sees
//
// Plain Go, never gRPC: a directory plugin feeds a Mirror, which is a
// mediation.Directory answering from a local mediation.Index that Refresh
// keeps up to date from cursors (the last good index keeps serving when the
// plugin fails); a sink plugin is a Deliverer that a Relay feeds from a
// store.Outbox, acknowledging in the outbox only what the sink acknowledged,
// so delivery is at least once with the event id as idempotency key; a
// territory plugin gives indicators per commune (TerritorySource), a rules
// plugin a regional rules document (RulesSource), a registry plugin the
// ambassador network (RegistrySource).
// Places cross the boundary in packed batches (one buffer per batch, the
// v1 standard's fields in a fixed order, repeated short values such as
// enumeration values sent once per batch), kept under gRPC's 4 MiB
// message limit; a plugin built before the packed encoding sends typed
// Place messages, which the host still reads. The array of a batch's
// places is reused for the next batch of the stream.
package plugins
