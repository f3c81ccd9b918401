package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/passerelle-sante/passerelle/mediation"
	pb "github.com/passerelle-sante/passerelle/plugins/proto"
)

// KindRegistry is the manifest kind of a registry plugin.
const KindRegistry = "registry"

// Network is the ambassador network of a region.
type Network struct {
	Coordinators []mediation.Coordinator
	Ambassadors  []mediation.Ambassador
	Trainings    []mediation.Training
}

// Registry is what a registry plugin implements.
type Registry interface {
	Network(ctx context.Context) (Network, error)
}

type registryPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	impl Registry
}

func (p *registryPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	if p.impl != nil {
		pb.RegisterRegistryServer(s, &registryServer{impl: p.impl})
	}
	return nil
}

func (p *registryPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &RegistryClient{c: pb.NewRegistryClient(c)}, nil
}

type registryServer struct {
	pb.UnimplementedRegistryServer
	impl Registry
}

// recordsPerBatch keeps a batch far under the 4 MiB limit: records are a
// few hundred bytes.
const recordsPerBatch = 2000

func encodeAll[T any](vs []T) ([][]byte, error) {
	out := make([][]byte, len(vs))
	for i := range vs {
		b, err := json.Marshal(&vs[i])
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

func (s *registryServer) Network(_ *pb.RegistryRequest, stream grpc.ServerStreamingServer[pb.RegistryBatch]) error {
	ctx := stream.Context()
	n, err := s.impl.Network(ctx)
	if err != nil {
		return ToStatus(err)
	}
	cs, err1 := encodeAll(n.Coordinators)
	as, err2 := encodeAll(n.Ambassadors)
	ts, err3 := encodeAll(n.Trainings)
	if err := errors.Join(err1, err2, err3); err != nil {
		return status.Errorf(codes.Internal, "registry: %v", err)
	}
	for {
		if err := ctx.Err(); err != nil {
			return ToStatus(err)
		}
		b := &pb.RegistryBatch{}
		room := recordsPerBatch
		take := func(src *[][]byte) [][]byte {
			k := min(room, len(*src))
			out := (*src)[:k]
			*src, room = (*src)[k:], room-k
			return out
		}
		b.Coordinators, b.Ambassadors, b.Trainings = take(&cs), take(&as), take(&ts)
		if err := stream.Send(b); err != nil {
			return err
		}
		if len(cs)+len(as)+len(ts) == 0 {
			return nil
		}
	}
}

// RegistryClient reads a registry plugin.
type RegistryClient struct{ c pb.RegistryClient }

func decodeChecked[T any](raws [][]byte, kind string, offset int, validate func(*T) error) ([]T, error) {
	out := make([]T, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			return nil, fmt.Errorf("%w: %s %d: %v", ErrGarbage, kind, offset+i+1, err)
		}
		if err := validate(&out[i]); err != nil {
			return nil, fmt.Errorf("%w: %s %d: %v", ErrGarbage, kind, offset+i+1, err)
		}
	}
	return out, nil
}

// Network returns the plugin's network. A record that does not decode or
// fails its Validate is an ErrGarbage error naming its kind and position.
func (r *RegistryClient) Network(ctx context.Context) (Network, error) {
	stream, err := r.c.Network(ctx, &pb.RegistryRequest{})
	if err != nil {
		return Network{}, FromStatus(err)
	}
	var n Network
	for {
		b, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return Network{}, FromStatus(err)
		}
		cs, err := decodeChecked(b.GetCoordinators(), "coordinator", len(n.Coordinators), (*mediation.Coordinator).Validate)
		if err != nil {
			return Network{}, err
		}
		as, err := decodeChecked(b.GetAmbassadors(), "ambassador", len(n.Ambassadors), (*mediation.Ambassador).Validate)
		if err != nil {
			return Network{}, err
		}
		ts, err := decodeChecked(b.GetTrainings(), "training", len(n.Trainings), (*mediation.Training).Validate)
		if err != nil {
			return Network{}, err
		}
		n.Coordinators = append(n.Coordinators, cs...)
		n.Ambassadors = append(n.Ambassadors, as...)
		n.Trainings = append(n.Trainings, ts...)
	}
}
