package desk

import (
	"net/http"

	"github.com/passerelle-sante/passerelle/store"
)

// deskRoutes registers the screens of teleadvisors and ambassadors and
// their JSON API (see openapi.yaml).
func (s *Server) deskRoutes(mux *http.ServeMux) {
	tele, amb, coord := store.RoleTeleadvisor, store.RoleAmbassador, store.RoleCoordinator

	// The call: triage, where, proposals, record.
	s.handle(mux, "GET /call", s.needs(s.newCall, tele))
	s.handle(mux, "GET /call/{cid}", s.needs(s.callPage, tele))
	s.handle(mux, "POST /call/{cid}/answer", s.needs(s.answer, tele))
	s.handle(mux, "POST /call/{cid}/where", s.needs(s.where, tele))
	s.handle(mux, "POST /call/{cid}/record", s.needs(s.record, tele))
	s.handle(mux, "GET /api/communes", s.needs(s.apiCommunes))

	// Referrals and follow-up.
	s.handle(mux, "GET /referrals/{id}", s.needs(s.referralPage, tele))
	s.handle(mux, "GET /referrals/{id}/sheet", s.needs(s.sheetPage, tele))
	s.handle(mux, "POST /referrals/{id}/sheet", s.needs(s.sheetPage, tele))
	s.handle(mux, "POST /referrals/{id}/status", s.needs(s.statusChange, tele))
	s.handle(mux, "GET /followup", s.needs(s.followup, tele))
	s.handle(mux, "GET /persons/{pid}", s.needs(s.person, tele))

	// Ambassadors.
	s.handle(mux, "GET /actions", s.needs(s.actions, amb))
	s.handle(mux, "POST /actions", s.needs(s.recordAction, amb))
	s.handle(mux, "GET /questions", s.needs(s.questions, amb, coord))
	s.handle(mux, "POST /questions", s.needs(s.askQuestion, amb, coord))
	s.handle(mux, "POST /questions/{id}/answer", s.needs(s.answerQuestion, amb, coord))

	// The JSON API of the same screens.
	s.handle(mux, "POST /api/v1/calls", s.needs(s.apiNewCall, tele))
	s.handle(mux, "GET /api/v1/calls/{cid}", s.needs(s.apiCall, tele))
	s.handle(mux, "POST /api/v1/calls/{cid}/answers", s.needs(s.apiAnswer, tele))
	s.handle(mux, "POST /api/v1/calls/{cid}/where", s.needs(s.apiWhere, tele))
	s.handle(mux, "POST /api/v1/calls/{cid}/record", s.needs(s.apiRecord, tele))
	s.handle(mux, "GET /api/v1/referrals/{id}", s.needs(s.apiReferral, tele))
	s.handle(mux, "POST /api/v1/referrals/{id}/status", s.needs(s.apiStatus, tele))
	s.handle(mux, "GET /api/v1/followup", s.needs(s.apiFollowup, tele))
	s.handle(mux, "GET /api/v1/persons/{pid}", s.needs(s.apiPerson, tele))
	s.handle(mux, "GET /api/v1/actions", s.needs(s.apiActions, amb))
	s.handle(mux, "POST /api/v1/actions", s.needs(s.apiRecordAction, amb))
	s.handle(mux, "GET /api/v1/questions", s.needs(s.apiQuestions, amb, coord))
	s.handle(mux, "POST /api/v1/questions", s.needs(s.apiAskQuestion, amb, coord))
	s.handle(mux, "POST /api/v1/questions/{id}/answer", s.needs(s.apiAnswerQuestion, amb, coord))
}
