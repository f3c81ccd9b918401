package wire

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Errors a call across the boundary may wrap. plugins re-exports them.
var (
	// ErrGarbage: the plugin answered something that breaks the contract.
	ErrGarbage = errors.New("plugin answered garbage")
	// ErrInvalid: the plugin says the request is invalid.
	ErrInvalid = errors.New("plugin refused the request as invalid")
	// ErrUnavailable: the plugin is down, or says its backend is.
	ErrUnavailable = errors.New("plugin unavailable")
	// ErrUnsupported: the plugin does not provide this kind.
	ErrUnsupported = errors.New("plugin does not provide this kind")
	// ErrPluginFailed: the plugin reported an internal failure.
	ErrPluginFailed = errors.New("plugin failed")
)

// ToStatus maps an author's error to a gRPC status with a clear code.
func ToStatus(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, err.Error())
	case errors.Is(err, ErrInvalid):
		return status.Error(codes.InvalidArgument, err.Error())
	case errors.Is(err, ErrUnavailable):
		return status.Error(codes.Unavailable, err.Error())
	case errors.Is(err, ErrCursorExpired):
		return status.Error(codes.OutOfRange, err.Error())
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	return status.Error(codes.Internal, err.Error())
}

// FromStatus maps a gRPC status back to the package's errors, so callers
// use errors.Is and never see gRPC.
func FromStatus(err error) error {
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	var base error
	switch st.Code() {
	case codes.Canceled:
		base = context.Canceled
	case codes.DeadlineExceeded:
		base = context.DeadlineExceeded
	case codes.InvalidArgument:
		base = ErrInvalid
	case codes.Unavailable:
		base = ErrUnavailable
	case codes.Unimplemented:
		base = ErrUnsupported
	case codes.OutOfRange:
		base = ErrCursorExpired
	default:
		base = ErrPluginFailed
	}
	// The plugin's message often starts with the same sentinel's text.
	msg := strings.TrimPrefix(st.Message(), base.Error()+": ")
	return fmt.Errorf("%w: %s", base, msg)
}
