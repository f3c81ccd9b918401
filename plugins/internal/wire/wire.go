// Package wire adapts the generated gRPC code to plain Go on both sides of
// the plugin boundary: plugins/sdk serves Go implementations through it and
// the host in plugins calls plugins through it. It is the only code besides
// plugins/proto that touches gRPC or protobuf.
package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/passerelle-sante/passerelle/mediation"
	pb "github.com/passerelle-sante/passerelle/plugins/proto"
)

// ProtocolVersion is the plugin protocol this code speaks. A host and a
// plugin agree on it through go-plugin's VersionedPlugins.
const ProtocolVersion = 1

// Handshake returns the go-plugin handshake. The magic cookie only keeps a
// plugin binary from being run by hand as if it were a server; it is no
// security measure (checksums and AutoMTLS are).
func Handshake() goplugin.HandshakeConfig {
	return goplugin.HandshakeConfig{
		ProtocolVersion:  ProtocolVersion,
		MagicCookieKey:   "PASSERELLE_PLUGIN",
		MagicCookieValue: "f5c2a3de-passerelle-provider",
	}
}

// Flow-control windows and socket buffers of the plugin connection. The
// defaults (a 64 KiB window grown by estimation, 32 KiB buffers) suit a
// network; between two processes of one machine a stream of 3 MiB batches
// spends its time waiting for window updates.
const (
	window  = 8 << 20
	sockBuf = 256 << 10
)

// DialOptions tune the host's side of the plugin connection.
func DialOptions() []grpc.DialOption {
	return []grpc.DialOption{
		grpc.WithInitialWindowSize(window), grpc.WithInitialConnWindowSize(window),
		grpc.WithReadBufferSize(sockBuf), grpc.WithWriteBufferSize(sockBuf),
	}
}

// NewServer makes the plugin's gRPC server (go-plugin's ServeConfig
// GRPCServer) with the tuned windows and buffers.
func NewServer(opts []grpc.ServerOption) *grpc.Server {
	return goplugin.DefaultGRPCServer(append(opts,
		grpc.InitialWindowSize(window), grpc.InitialConnWindowSize(window),
		grpc.ReadBufferSize(sockBuf), grpc.WriteBufferSize(sockBuf)))
}

// HostPIDEnv names the environment variable in which the host gives its
// process id to the plugin, which exits when its parent is no longer it.
const HostPIDEnv = "PASSERELLE_HOST_PID"

// Kind names a provider kind, as written in manifests.
const (
	KindDescribe  = "describe"
	KindDirectory = "directory"
	KindEventSink = "event_sink"
)

// MaxBatchBytes keeps every streamed message well under gRPC's 4 MiB
// default limit.
const MaxBatchBytes = 3 << 20

// DefaultBatchSize is the number of places per batch when none is asked.
const DefaultBatchSize = 1000

// Manifest is what a plugin says of itself.
type Manifest struct {
	Name     string   `json:"name"`
	Version  string   `json:"version"`
	Kinds    []string `json:"kinds"`
	Protocol int      `json:"protocol"`
	// Protocols lists every protocol version the binary speaks, so a host
	// can refuse it from its manifest, before running it.
	Protocols []int `json:"protocols,omitempty"`
}

// Batch is one piece of a directory stream. The array of Places is the
// stream's and is reused for the next batch; the places copied out of it
// stay valid.
type Batch struct {
	Places  []mediation.Place
	Removed []string
	Cursor  string
	Full    bool
}

// Directory is what a directory plugin implements (plugins/sdk.Directory
// has the same method set).
type Directory interface {
	Snapshot(ctx context.Context) ([]mediation.Place, string, error)
	Changes(ctx context.Context, cursor string) (changed []mediation.Place, removed []string, next string, err error)
}

// Event is an outbox event as a plugin receives it: the fields and JSON
// keys of store.Event, of which it is a copy (the host converts one into
// the other). Plugins see this type, not store.Event, so a plugin binary
// does not link the store and the domain packages behind it, whose
// initialisation (rules, JSON schemas) took about 10 ms of every start.
type Event struct {
	// ID is the idempotency key: the same event comes again with it after
	// a retry.
	ID uuid.UUID `json:"id"`
	// Kind says what happened, e.g. "referral.created".
	Kind string `json:"kind"`
	// Subject is the id of the record concerned.
	Subject string          `json:"subject"`
	At      time.Time       `json:"at"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// EventSink is what a sink plugin implements.
type EventSink interface {
	Deliver(ctx context.Context, events []Event) ([]uuid.UUID, error)
}

// ErrCursorExpired tells the SDK to send a full snapshot instead of changes.
var ErrCursorExpired = errors.New("cursor expired")

// Impls are the providers a plugin serves; nil ones are not served.
type Impls struct {
	Directory Directory
	EventSink EventSink
	Territory Territory
	Rules     Rules
	Registry  Registry
}

// Plugins returns the go-plugin set for one side: on the plugin side with
// the implementations, on the host side with zero values.
func Plugins(m Manifest, i Impls) goplugin.PluginSet {
	return goplugin.PluginSet{
		KindDescribe:  &describePlugin{manifest: m},
		KindDirectory: &directoryPlugin{impl: i.Directory},
		KindEventSink: &sinkPlugin{impl: i.EventSink},
		KindTerritory: &territoryPlugin{impl: i.Territory},
		KindRules:     &rulesPlugin{impl: i.Rules},
		KindRegistry:  &registryPlugin{impl: i.Registry},
	}
}

// ---- Describe

type describePlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	manifest Manifest
}

type describeServer struct {
	pb.UnimplementedDescriberServer
	m Manifest
}

func (s describeServer) Describe(context.Context, *pb.DescribeRequest) (*pb.Manifest, error) {
	return &pb.Manifest{Name: s.m.Name, Version: s.m.Version, Kinds: s.m.Kinds, Protocol: int32(s.m.Protocol)}, nil
}

func (p *describePlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterDescriberServer(s, describeServer{m: p.manifest})
	return nil
}

func (p *describePlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &DescribeClient{c: pb.NewDescriberClient(c)}, nil
}

// DescribeClient asks a running plugin for its manifest.
type DescribeClient struct{ c pb.DescriberClient }

// Describe returns the plugin's manifest.
func (d *DescribeClient) Describe(ctx context.Context) (Manifest, error) {
	m, err := d.c.Describe(ctx, &pb.DescribeRequest{})
	if err != nil {
		return Manifest{}, FromStatus(err)
	}
	return Manifest{Name: m.GetName(), Version: m.GetVersion(), Kinds: m.GetKinds(), Protocol: int(m.GetProtocol())}, nil
}

// ---- Directory

type directoryPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	impl Directory
}

func (p *directoryPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	if p.impl != nil {
		pb.RegisterDirectoryServer(s, &directoryServer{impl: p.impl})
	}
	return nil
}

func (p *directoryPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &DirectoryClient{c: pb.NewDirectoryClient(c)}, nil
}

type directoryServer struct {
	pb.UnimplementedDirectoryServer
	impl Directory
}

func (s *directoryServer) Places(req *pb.PlacesRequest, stream grpc.ServerStreamingServer[pb.PlaceBatch]) error {
	ctx := stream.Context()
	var (
		places  []mediation.Place
		removed []string
		next    string
		err     error
		full    bool
	)
	if req.GetCursor() != "" {
		places, removed, next, err = s.impl.Changes(ctx, req.GetCursor())
	}
	if req.GetCursor() == "" || errors.Is(err, ErrCursorExpired) {
		full, removed = true, nil
		places, next, err = s.impl.Snapshot(ctx)
	}
	if err != nil {
		return ToStatus(err)
	}
	size := int(req.GetBatchSize())
	if size <= 0 {
		size = DefaultBatchSize
	}
	if req.GetPacked() {
		return SendPacked(ctx, places, removed, next, full, size, stream.Send)
	}
	return SendBatches(ctx, places, removed, next, full, size, stream.Send)
}

// SendPacked is SendBatches in the packed encoding (packed.go): batches of
// at most size places and MaxBatchBytes bytes, the last one carrying
// removed and the cursor. It is exported for the benchmarks.
func SendPacked(ctx context.Context, places []mediation.Place, removed []string, cursor string, full bool, size int, send func(*pb.PlaceBatch) error) error {
	// One buffer serves every batch: gRPC encodes a message into its own
	// buffers before Send returns, and no stats handler or tracer that
	// would read it later is installed (NewServer).
	var pk Packer
	pk.Reset()
	flush := func() error {
		err := send(&pb.PlaceBatch{Full: full, Packed: pk.Bytes(), PackedCount: int32(pk.Count())})
		pk.Reset()
		return err
	}
	for i := range places {
		if pk.Count() >= size {
			if err := ctx.Err(); err != nil {
				return ToStatus(err)
			}
			if err := flush(); err != nil {
				return err
			}
		}
		m := pk.mark()
		pk.Add(&places[i])
		if pk.Len() <= MaxBatchBytes {
			continue
		}
		// Too big: the place goes into the next batch, alone if need be.
		pk.undo(m)
		if pk.Count() == 0 {
			return status.Errorf(codes.InvalidArgument, "place %q: more than %d bytes, more than one message may hold", places[i].ID, MaxBatchBytes)
		}
		if err := flush(); err != nil {
			return err
		}
		pk.Add(&places[i])
		if pk.Len() > MaxBatchBytes {
			return status.Errorf(codes.InvalidArgument, "place %q: more than %d bytes, more than one message may hold", places[i].ID, MaxBatchBytes)
		}
	}
	b := &pb.PlaceBatch{Full: full, Removed: removed, Cursor: cursor}
	if pk.Count() > 0 {
		b.Packed, b.PackedCount = pk.Bytes(), int32(pk.Count())
	}
	return send(b)
}

// SendBatches cuts places into batches of at most size places and
// MaxBatchBytes bytes (the encoded size) and sends them; the last batch carries removed and
// the cursor. It is exported for the benchmarks.
func SendBatches(ctx context.Context, places []mediation.Place, removed []string, cursor string, full bool, size int, send func(*pb.PlaceBatch) error) error {
	b := &pb.PlaceBatch{Full: full}
	size0 := 0
	for i := range places {
		m := PlaceToPB(&places[i])
		n := proto.Size(m)
		if n > MaxBatchBytes {
			return status.Errorf(codes.InvalidArgument, "place %q: %d bytes, more than one message may hold", places[i].ID, n)
		}
		if len(b.Places) > 0 && (len(b.Places) >= size || size0+n > MaxBatchBytes) {
			if err := ctx.Err(); err != nil {
				return ToStatus(err)
			}
			if err := send(b); err != nil {
				return err
			}
			b, size0 = &pb.PlaceBatch{Full: full}, 0
		}
		b.Places = append(b.Places, m)
		size0 += n
	}
	b.Removed, b.Cursor = removed, cursor
	return send(b)
}

// DirectoryClient reads a directory plugin.
type DirectoryClient struct {
	c pb.DirectoryClient
	// PlaceMessages asks for Place messages instead of packed batches, as
	// hosts did before the packed encoding (for benchmarks and tests).
	PlaceMessages bool
}

// Places streams the places changed since cursor ("" for all), calling
// each for every batch in order. The array of b.Places is reused for the
// next batch: append its places elsewhere to keep them (their strings
// and lists are never reused). A batch that does not decode is an error
// that names the place: a plugin that sends garbage is refused, not trusted.
func (d *DirectoryClient) Places(ctx context.Context, cursor string, batchSize int, each func(Batch) error) error {
	stream, err := d.c.Places(ctx, &pb.PlacesRequest{Cursor: cursor, BatchSize: int32(batchSize), Packed: !d.PlaceMessages})
	if err != nil {
		return FromStatus(err)
	}
	n := 0
	var buf []mediation.Place // reused from batch to batch
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return FromStatus(err)
		}
		b := Batch{Removed: m.GetRemoved(), Cursor: m.GetCursor(), Full: m.GetFull()}
		// m is this loop's alone: its bytes become the places' strings
		// without a copy.
		if b.Places, err = unpackOwned(buf, m.GetPacked(), int(m.GetPackedCount())); err != nil {
			return fmt.Errorf("%w: batch after place %d: %v", ErrGarbage, n, err)
		}
		// A plugin built before the packed encoding sends Place messages.
		for _, pm := range m.GetPlaces() {
			b.Places = append(b.Places, PlaceFromPB(pm))
		}
		for i := range b.Places {
			if b.Places[i].ID == "" {
				return fmt.Errorf("%w: place %d of the stream has no id", ErrGarbage, n+i+1)
			}
		}
		n += len(b.Places)
		buf = b.Places
		if err := each(b); err != nil {
			return err
		}
	}
}

// ---- EventSink

type sinkPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	impl EventSink
}

func (p *sinkPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	if p.impl != nil {
		pb.RegisterEventSinkServer(s, &sinkServer{impl: p.impl})
	}
	return nil
}

func (p *sinkPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &EventSinkClient{c: pb.NewEventSinkClient(c)}, nil
}

type sinkServer struct {
	pb.UnimplementedEventSinkServer
	impl EventSink
}

// EventsFromPB converts the events of a delivery; an id that is not a
// UUID is an ErrInvalid error naming the event.
func EventsFromPB(in []*pb.Event) ([]Event, error) {
	evs := make([]Event, len(in))
	for i, e := range in {
		id, err := uuid.Parse(e.GetId())
		if err != nil {
			return nil, fmt.Errorf("%w: events[%d].id: %v", ErrInvalid, i, err)
		}
		evs[i] = Event{ID: id, Kind: e.GetKind(), Subject: e.GetSubject(), At: time.Unix(0, e.GetAtUnixNano()).UTC(), Payload: e.GetPayload()}
	}
	return evs, nil
}

func (s *sinkServer) Deliver(ctx context.Context, req *pb.DeliverRequest) (*pb.DeliverResponse, error) {
	evs, err := EventsFromPB(req.GetEvents())
	if err != nil {
		return nil, ToStatus(err)
	}
	acked, err := s.impl.Deliver(ctx, evs)
	if err != nil {
		return nil, ToStatus(err)
	}
	out := &pb.DeliverResponse{Acknowledged: make([]string, len(acked))}
	for i, id := range acked {
		out.Acknowledged[i] = id.String()
	}
	return out, nil
}

// EventSinkClient delivers events to a sink plugin.
type EventSinkClient struct{ c pb.EventSinkClient }

// Deliver sends events and returns the ids the sink acknowledged. Ids the
// sink invents (not among the events sent) are an ErrGarbage error.
func (s *EventSinkClient) Deliver(ctx context.Context, events []Event) ([]uuid.UUID, error) {
	req := &pb.DeliverRequest{Events: make([]*pb.Event, len(events))}
	sent := make(map[uuid.UUID]bool, len(events))
	for i, e := range events {
		req.Events[i] = &pb.Event{Id: e.ID.String(), Kind: e.Kind, Subject: e.Subject, AtUnixNano: e.At.UnixNano(), Payload: e.Payload}
		sent[e.ID] = true
	}
	resp, err := s.c.Deliver(ctx, req)
	if err != nil {
		return nil, FromStatus(err)
	}
	return ParseAcks(resp.GetAcknowledged(), sent)
}

// ParseAcks reads the ids a sink acknowledged; one that is not a UUID, or
// not among the events sent, is an ErrGarbage error naming it.
func ParseAcks(raws []string, sent map[uuid.UUID]bool) ([]uuid.UUID, error) {
	acked := make([]uuid.UUID, 0, len(raws))
	for i, raw := range raws {
		id, err := uuid.Parse(raw)
		if err != nil || !sent[id] {
			return nil, fmt.Errorf("%w: acknowledged[%d] = %q is not an event that was sent", ErrGarbage, i, raw)
		}
		acked = append(acked, id)
	}
	return acked, nil
}
