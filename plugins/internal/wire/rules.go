package wire

import (
	"context"
	"errors"
	"fmt"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/passerelle-sante/passerelle/plugins/proto"
)

// KindRules is the manifest kind of a rules plugin.
const KindRules = "rules"

// RulesDocument is a regional rules document as a plugin serves it.
type RulesDocument struct {
	Content []byte
	// MediaType is "application/yaml" or "application/json".
	MediaType string
	// Version names this revision of the document.
	Version string
}

// Check reports what is wrong with a document, or nil.
func (d RulesDocument) Check() error {
	switch {
	case len(d.Content) == 0:
		return errors.New("content: empty")
	case len(d.Content) > MaxBatchBytes:
		return fmt.Errorf("content: %d bytes, more than one message may hold (%d)", len(d.Content), MaxBatchBytes)
	case d.MediaType != "application/yaml" && d.MediaType != "application/json":
		return fmt.Errorf("media_type: %q is neither application/yaml nor application/json", d.MediaType)
	case d.Version == "":
		return errors.New("version: empty")
	}
	return nil
}

// Rules is what a rules plugin implements.
type Rules interface {
	Document(ctx context.Context) (RulesDocument, error)
}

type rulesPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	impl Rules
}

func (p *rulesPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	if p.impl != nil {
		pb.RegisterRulesServer(s, &rulesServer{impl: p.impl})
	}
	return nil
}

func (p *rulesPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &RulesClient{c: pb.NewRulesClient(c)}, nil
}

type rulesServer struct {
	pb.UnimplementedRulesServer
	impl Rules
}

func (s *rulesServer) Document(ctx context.Context, _ *pb.RulesRequest) (*pb.RulesDocument, error) {
	d, err := s.impl.Document(ctx)
	if err != nil {
		return nil, ToStatus(err)
	}
	if err := d.Check(); err != nil {
		return nil, status.Errorf(codes.Internal, "rules document: %v", err)
	}
	return &pb.RulesDocument{Content: d.Content, MediaType: d.MediaType, Version: d.Version}, nil
}

// RulesClient reads a rules plugin.
type RulesClient struct{ c pb.RulesClient }

// Document returns the plugin's rules document; one that breaks the
// contract is an ErrGarbage error naming the field.
func (r *RulesClient) Document(ctx context.Context) (RulesDocument, error) {
	m, err := r.c.Document(ctx, &pb.RulesRequest{})
	if err != nil {
		return RulesDocument{}, FromStatus(err)
	}
	d := RulesDocument{Content: m.GetContent(), MediaType: m.GetMediaType(), Version: m.GetVersion()}
	if err := d.Check(); err != nil {
		return RulesDocument{}, fmt.Errorf("%w: rules document: %v", ErrGarbage, err)
	}
	return d, nil
}
