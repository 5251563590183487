package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/static"
)

// Role shorthands for the table below.
const (
	ambassador = models.RoleAmbassador
	quickwin   = models.RoleQuickWin
	steering   = models.RoleSteering
	adminRole  = models.RoleAdmin
	branchRole = models.RoleBranch
)

// routes is the one place that says who may do what. Every route is registered with
// its access rule; authorize refuses any route that has none.
func (s *Server) routes(e *echo.Echo) {
	e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", staticHandler(static.FS))))

	// Public.
	s.route(e, http.MethodGet, "/healthz", public, s.healthz)
	s.route(e, http.MethodGet, "/favicon.ico", public, s.favicon)
	s.route(e, http.MethodGet, "/login", public, s.loginForm)
	s.route(e, http.MethodPost, "/login", public, s.login)
	s.route(e, http.MethodPost, "/lang", public, s.switchLanguage)
	// Single sign-on (only when OIDC_ISSUER is set and an admin left it on).
	s.route(e, http.MethodGet, "/auth/oidc", public, s.oidcStart)
	s.route(e, http.MethodGet, "/auth/oidc/callback", public, s.oidcCallback)
	// Monitoring: the handler admits METRICS_ALLOW addresses or an admin's API token.
	s.route(e, http.MethodGet, "/metrics", public, s.metricsEndpoint)
	// The API's description, for integration tools; public like any API document.
	s.route(e, http.MethodGet, "/api/v1/openapi.json", public, s.openAPIDocument)

	// Everyone signed in.
	s.route(e, http.MethodPost, "/logout", signedIn, s.logout)
	s.route(e, http.MethodGet, "/", signedIn, s.home)

	// Admin.
	s.route(e, http.MethodGet, "/admin", only(adminRole), s.adminIndex)
	s.route(e, http.MethodGet, "/admin/users", only(adminRole), s.adminUsers)
	s.route(e, http.MethodPost, "/admin/users", only(adminRole), s.adminCreateUser)
	s.route(e, http.MethodGet, "/admin/users/:id", only(adminRole), s.adminUser)
	s.route(e, http.MethodPost, "/admin/users/:id", only(adminRole), s.adminUpdateUser)
	s.route(e, http.MethodPost, "/admin/users/:id/password", only(adminRole), s.adminResetPassword)
	s.route(e, http.MethodGet, "/admin/reference/:kind", only(adminRole), s.adminReference)
	s.route(e, http.MethodPost, "/admin/reference/:kind", only(adminRole), s.adminCreateReference)
	s.route(e, http.MethodPost, "/admin/reference/:kind/:id", only(adminRole), s.adminUpdateReference)
	s.route(e, http.MethodGet, "/admin/settings", only(adminRole), s.adminSettings)
	s.route(e, http.MethodPost, "/admin/settings", only(adminRole), s.adminSaveSettings)
	s.route(e, http.MethodGet, "/admin/tokens", only(adminRole), s.adminTokens)
	s.route(e, http.MethodPost, "/admin/tokens/:id/revoke", only(adminRole), s.adminRevokeToken)
	s.route(e, http.MethodPost, "/admin/settings/sso", only(adminRole), s.adminSaveSSO)

	// Feedback: ambassadors log, import and follow up; everyone signed in reads.
	s.route(e, http.MethodGet, "/feedback/new", only(ambassador), s.feedbackNew)
	s.route(e, http.MethodPost, "/feedback/new", only(ambassador), s.feedbackCreate)
	s.route(e, http.MethodGet, "/feedback/import", only(ambassador), s.feedbackImportForm)
	s.route(e, http.MethodPost, "/feedback/import", only(ambassador), s.feedbackImport)
	s.route(e, http.MethodGet, "/feedback", signedIn, s.feedbackList)
	s.route(e, http.MethodGet, "/feedback/export.csv", signedIn, s.feedbackExport)
	s.route(e, http.MethodGet, "/feedback/export.xlsx", signedIn, s.feedbackExportXLSX)
	s.route(e, http.MethodGet, "/feedback/:id", signedIn, s.feedbackShow)
	// Anyone signed in may reach it; followUpRecord lets only ambassadors, the owner,
	// the employee named and the branch's managers record (issue 17).
	s.route(e, http.MethodPost, "/feedback/:id/follow-up", signedIn, s.followUpRecord)
	s.route(e, http.MethodGet, "/follow-ups", only(ambassador), s.followUpsIndex)
	// Feedback admin: goodwill limits and ledger, privacy (erasure, retention).
	s.route(e, http.MethodGet, "/admin/goodwill", only(adminRole), s.adminGoodwill)
	s.route(e, http.MethodGet, "/admin/goodwill/:id", only(adminRole), s.adminGoodwillBranch)
	s.route(e, http.MethodPost, "/admin/goodwill/:id", only(adminRole), s.adminSetGoodwillLimit)
	s.route(e, http.MethodGet, "/admin/privacy", only(adminRole), s.adminPrivacy)
	s.route(e, http.MethodPost, "/admin/privacy/erase", only(adminRole), s.adminErase)
	s.route(e, http.MethodPost, "/admin/privacy/retention", only(adminRole), s.adminSetRetention)

	// Steering group: review queue, meetings and their decisions, minutes, initiatives.
	s.route(e, http.MethodGet, "/steering", only(steering), s.steeringIndex)
	s.route(e, http.MethodPost, "/steering/meetings", only(steering), s.meetingCreate)
	s.route(e, http.MethodGet, "/steering/meetings/:id", only(steering), s.meetingShow)
	s.route(e, http.MethodPost, "/steering/meetings/:id/decisions", only(steering), s.meetingDecisions)
	s.route(e, http.MethodPost, "/steering/meetings/:id/items/:item/decide", only(steering), s.meetingDecideItem)
	s.route(e, http.MethodPost, "/steering/meetings/:id/items/:item/move", only(steering), s.meetingMoveItem)
	s.route(e, http.MethodPost, "/steering/meetings/:id/items/:item/remove", only(steering), s.meetingRemoveItem)
	s.route(e, http.MethodPost, "/steering/meetings/:id/refresh", only(steering), s.meetingRefresh)
	s.route(e, http.MethodPost, "/steering/meetings/:id/close", only(steering), s.meetingClose)
	s.route(e, http.MethodGet, "/steering/meetings/:id/minutes", only(steering), s.meetingMinutes)
	s.route(e, http.MethodGet, "/steering/meetings/:id/minutes.md", only(steering), s.meetingMinutesMarkdown)
	// Initiatives are read by admins too (they answer for the yearly goal); only
	// steering members move them on.
	s.route(e, http.MethodGet, "/initiatives", only(steering, adminRole), s.initiativesIndex)
	s.route(e, http.MethodPost, "/initiatives/:id/transition", only(steering), s.initiativeTransition)
	// Comments and progress notes on any improvement, by anyone signed in.
	s.route(e, http.MethodPost, "/improvements/:id/comments", signedIn, s.commentCreate)

	// Triage and improvements: steering members and ambassadors triage and propose;
	// everyone signed in reads; moves are checked again per item in the model.
	s.route(e, http.MethodGet, "/triage", only(steering, ambassador), s.triageIndex)
	s.route(e, http.MethodGet, "/triage/no-action", only(steering, ambassador), s.triageNoActionForm)
	s.route(e, http.MethodPost, "/triage/no-action", only(steering, ambassador), s.triageNoAction)
	s.route(e, http.MethodGet, "/triage/link", only(steering, ambassador), s.triageLink)
	s.route(e, http.MethodGet, "/improvements", signedIn, s.improvementList)
	s.route(e, http.MethodGet, "/improvements/matrix", signedIn, s.improvementMatrix)
	s.route(e, http.MethodGet, "/improvements/new", only(steering, ambassador), s.improvementNew)
	s.route(e, http.MethodGet, "/improvements/route-suggestion", only(steering, ambassador), s.improvementRouteSuggestion)
	s.route(e, http.MethodPost, "/improvements", only(steering, ambassador), s.improvementCreate)
	s.route(e, http.MethodGet, "/improvements/:id", signedIn, s.improvementShow)
	s.route(e, http.MethodPost, "/improvements/:id/transition", only(quickwin, steering), s.improvementTransition)
	s.route(e, http.MethodPost, "/improvements/:id/savings", only(steering), s.improvementSavings)
	s.route(e, http.MethodPost, "/improvements/:id/link", only(steering, ambassador), s.improvementLink)
	s.route(e, http.MethodPost, "/improvements/:id/merge", only(steering), s.improvementMerge)
	s.route(e, http.MethodPost, "/improvements/:id/edit", only(steering), s.improvementEdit)

	// Quick-win board: the quick-win team works it; steering members may too.
	s.route(e, http.MethodGet, "/quick-wins", only(quickwin, steering), s.quickWins)
	s.route(e, http.MethodPost, "/quick-wins/:id/claim", only(quickwin, steering), s.quickWinClaim)
	s.route(e, http.MethodPost, "/quick-wins/:id/start", only(quickwin, steering), s.quickWinStart)
	s.route(e, http.MethodPost, "/quick-wins/:id/finish", only(quickwin, steering), s.quickWinFinish)
	s.route(e, http.MethodPost, "/quick-wins/:id/hand-back", only(quickwin, steering), s.quickWinHandBack)
	s.route(e, http.MethodPost, "/quick-wins/:id/escalate", only(quickwin, steering), s.quickWinEscalate)

	// Goals, dashboard, reports, "you said, we did", telling customers, recognition.
	s.route(e, http.MethodGet, "/admin/goals", only(adminRole), s.adminGoals)
	s.route(e, http.MethodPost, "/admin/goals", only(adminRole), s.adminSetGoal)
	s.route(e, http.MethodGet, "/reports", signedIn, s.reports)
	s.route(e, http.MethodGet, "/roadmap", signedIn, s.roadmapIndex)
	s.route(e, http.MethodGet, "/reports/export.csv", signedIn, s.reportCSV)
	s.route(e, http.MethodGet, "/reports/export.xlsx", signedIn, s.reportXLSX)
	s.route(e, http.MethodPost, "/reports/comment", only(steering), s.reportComment)
	s.route(e, http.MethodGet, "/you-said-we-did", signedIn, s.youSaidWeDid)
	s.route(e, http.MethodGet, "/improvements/:id/notify", only(steering), s.notifyShow)
	s.route(e, http.MethodPost, "/improvements/:id/notify", only(steering), s.notifySend)
	s.route(e, http.MethodGet, "/recognition", signedIn, s.recognitionPage)
	s.route(e, http.MethodGet, "/feedback/:id/praise", only(ambassador, steering), s.praiseShow)
	s.route(e, http.MethodPost, "/feedback/:id/praise", only(ambassador, steering), s.praiseSave)

	// Closing the loop (issue 17): own follow-ups, the bell, mail choices, branch
	// pages (a branch manager's own; steering and admins any), webhooks.
	s.route(e, http.MethodGet, "/my/follow-ups", signedIn, s.myFollowUps)
	s.route(e, http.MethodPost, "/follow-ups/:id/take", signedIn, s.followUpChange("take"))
	s.route(e, http.MethodPost, "/follow-ups/:id/tried", signedIn, s.followUpChange("tried"))
	s.route(e, http.MethodPost, "/follow-ups/:id/reassign", signedIn, s.followUpChange("reassign"))
	s.route(e, http.MethodGet, "/notifications", signedIn, s.notificationsPage)
	s.route(e, http.MethodPost, "/notifications/read", signedIn, s.notificationsRead)
	s.route(e, http.MethodGet, "/preferences", signedIn, s.preferencesPage)
	s.route(e, http.MethodPost, "/preferences", signedIn, s.preferencesSave)
	s.route(e, http.MethodGet, "/ideas", signedIn, s.ideasPage)
	s.route(e, http.MethodPost, "/ideas", signedIn, s.ideaCreate)
	s.route(e, http.MethodGet, "/branch", only(branchRole), s.branchHome)
	s.route(e, http.MethodGet, "/branches/:code", only(branchRole, steering, adminRole), s.branchShow)
	s.route(e, http.MethodGet, "/branches/:code/pack", only(branchRole, steering, adminRole), s.branchPack)
	s.route(e, http.MethodGet, "/admin/webhooks", only(adminRole), s.adminWebhooks)
	s.route(e, http.MethodPost, "/admin/webhooks", only(adminRole), s.adminCreateWebhook)
	s.route(e, http.MethodPost, "/admin/webhooks/:id", only(adminRole), s.adminUpdateWebhook)

	// HTTP API (bearer token).
	s.route(e, http.MethodGet, "/api/v1/reference", signedIn, s.apiReference)
	// Goals and reports API.
	s.route(e, http.MethodGet, "/api/v1/goals/:year", signedIn, s.apiGoalYear)
	s.route(e, http.MethodGet, "/api/v1/reports/nps", signedIn, s.apiReportNPS)
	// Feedback API.
	s.route(e, http.MethodPost, "/api/v1/feedback", only(ambassador), s.apiCreateFeedback)
	s.route(e, http.MethodGet, "/api/v1/feedback", signedIn, s.apiListFeedback)
	s.route(e, http.MethodGet, "/api/v1/feedback/:id", signedIn, s.apiGetFeedback)
	s.route(e, http.MethodPost, "/api/v1/feedback/:id/follow-up", only(ambassador), s.apiFollowUp)
	// Triage and improvements API.
	s.route(e, http.MethodPost, "/api/v1/improvements", only(steering, ambassador), s.apiCreateImprovement)
	s.route(e, http.MethodGet, "/api/v1/improvements", signedIn, s.apiListImprovements)
	s.route(e, http.MethodGet, "/api/v1/improvements/:id", signedIn, s.apiGetImprovement)
	s.route(e, http.MethodPost, "/api/v1/improvements/:id/transition", only(quickwin, steering), s.apiTransitionImprovement)
	s.route(e, http.MethodGet, "/api/v1/improvements/:id/impact", signedIn, s.apiImprovementImpact)
}
