package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pb "github.com/passerelle-sante/passerelle/plugins/proto"
)

// KindTerritory is the manifest kind of a territory plugin.
const KindTerritory = "territory"

// Indicator is one value of one indicator for one commune.
type Indicator struct {
	INSEECode string  `json:"code_insee"`
	Name      string  `json:"name"`
	Value     float64 `json:"value"`
	Unit      string  `json:"unit,omitempty"`
	Date      string  `json:"date,omitempty"` // YYYY-MM-DD
}

var inseeCode = regexp.MustCompile(`^(?:[0-9]{2}|2A|2B)[0-9]{3}$`)
var isoDate = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// Check reports what is wrong with an indicator, or nil.
func (in Indicator) Check() error {
	switch {
	case !inseeCode.MatchString(in.INSEECode):
		return fmt.Errorf("code_insee: %q is not an INSEE commune code", in.INSEECode)
	case in.Name == "":
		return errors.New("name: empty")
	case math.IsNaN(in.Value) || math.IsInf(in.Value, 0):
		return fmt.Errorf("value: %v is not a number", in.Value)
	case in.Date != "" && !isoDate.MatchString(in.Date):
		return fmt.Errorf("date: %q is not YYYY-MM-DD", in.Date)
	}
	return nil
}

// Territory is what a territory plugin implements.
type Territory interface {
	Indicators(ctx context.Context) ([]Indicator, error)
}

type territoryPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	impl Territory
}

func (p *territoryPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	if p.impl != nil {
		pb.RegisterTerritoryServer(s, &territoryServer{impl: p.impl})
	}
	return nil
}

func (p *territoryPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &TerritoryClient{c: pb.NewTerritoryClient(c)}, nil
}

type territoryServer struct {
	pb.UnimplementedTerritoryServer
	impl Territory
}

// indicatorsPerBatch keeps a batch far under the 4 MiB limit (an
// indicator is well under 200 bytes).
const indicatorsPerBatch = 5000

func (s *territoryServer) Indicators(_ *pb.IndicatorsRequest, stream grpc.ServerStreamingServer[pb.IndicatorBatch]) error {
	ctx := stream.Context()
	ins, err := s.impl.Indicators(ctx)
	if err != nil {
		return ToStatus(err)
	}
	for start := 0; start < len(ins) || start == 0; start += indicatorsPerBatch {
		if err := ctx.Err(); err != nil {
			return ToStatus(err)
		}
		end := min(start+indicatorsPerBatch, len(ins))
		b := &pb.IndicatorBatch{Indicators: make([]*pb.Indicator, 0, end-start)}
		for _, in := range ins[start:end] {
			b.Indicators = append(b.Indicators, &pb.Indicator{CodeInsee: in.INSEECode, Name: in.Name, Value: in.Value, Unit: in.Unit, Date: in.Date})
		}
		if err := stream.Send(b); err != nil {
			return err
		}
	}
	return nil
}

// TerritoryClient reads a territory plugin.
type TerritoryClient struct{ c pb.TerritoryClient }

// Indicators returns every indicator. An indicator that breaks the
// contract is an ErrGarbage error naming its position and field.
func (t *TerritoryClient) Indicators(ctx context.Context) ([]Indicator, error) {
	stream, err := t.c.Indicators(ctx, &pb.IndicatorsRequest{})
	if err != nil {
		return nil, FromStatus(err)
	}
	var out []Indicator
	for {
		b, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, FromStatus(err)
		}
		for _, m := range b.GetIndicators() {
			in := Indicator{INSEECode: m.GetCodeInsee(), Name: m.GetName(), Value: m.GetValue(), Unit: m.GetUnit(), Date: m.GetDate()}
			if err := in.Check(); err != nil {
				return nil, fmt.Errorf("%w: indicator %d: %v", ErrGarbage, len(out)+1, err)
			}
			out = append(out, in)
		}
	}
}
