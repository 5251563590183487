package main

import (
	"math/rand/v2"
	"strings"
)

// The generated comments are built from phrases a bank's customers actually write, per
// NPS group and per topic, in Danish and English, so that full-text search meets
// realistic word frequencies: a few very common words, many rare ones.

var praise = []string{
	"Meget venlig og kompetent rådgiver", "Hurtig og præcis hjælp", "Jeg følte mig godt behandlet",
	"Rådgiveren tog sig god tid og forklarede alt", "Super god service som altid",
	"Nem proces og klar besked", "Tak for en god snak", "Fik svar samme dag",
	"Very helpful adviser who explained everything", "Quick and friendly service",
	"The new app works really well", "Great follow-up after the meeting", "I felt listened to",
}

var neutral = []string{
	"Det fungerede, men det tog lidt tid", "Ok oplevelse, intet særligt", "Svaret kom, men sent",
	"Fin rådgivning, men dyrt", "Lidt bøvlet at finde den rigtige formular", "Ventetiden kunne være kortere",
	"Service was fine but slow", "It worked in the end", "Prices are a bit high compared to others",
	"The website could be clearer", "Reasonable advice, nothing more",
}

var complaints = []string{
	"Alt for lang ventetid i telefonen", "Ingen ringede tilbage som lovet", "Gebyret kom helt bag på mig",
	"Appen logger mig ud hele tiden", "Brevet var umuligt at forstå", "Jeg blev sendt rundt mellem afdelinger",
	"Min rådgiver var syg og ingen tog over", "Fejl i kontoudtoget igen", "Boliglånet tog seks uger at få på plads",
	"Kortet blev spærret uden varsel", "MitID virker ikke i netbanken", "Filialen har lukket om eftermiddagen",
	"Waited forty minutes on the phone", "Nobody called me back", "The fee was never explained",
	"The app crashes when I pay bills", "The letter was full of jargon", "My card was blocked for no reason",
	"The mortgage process was far too slow", "Error on the website when uploading documents",
}

// topicWords are extra words per touchpoint code, mixed into comments so that the
// touchpoint shows in the text as it would in real feedback.
var topicWords = map[string][]string{
	"branch_visit":     {"filialen", "kassen", "skranken", "åbningstid", "branch", "counter"},
	"advisory_meeting": {"rådgiver", "møde", "rådgivningen", "adviser", "meeting"},
	"mobile_app":       {"app", "appen", "mobilbank", "login", "opdatering", "update"},
	"online_banking":   {"netbank", "netbanken", "MitID", "website", "overførsel", "transfer"},
	"phone_service":    {"telefonen", "ventetid", "kø", "hotline", "callback"},
	"mortgage":         {"boliglån", "lån", "realkredit", "mortgage", "refinansiering", "valuation"},
	"account_opening":  {"konto", "oprettelse", "legitimation", "account", "onboarding"},
	"cards":            {"kort", "Dankort", "Visa", "betaling", "card", "payment"},
	"letters":          {"brev", "e-mail", "e-Boks", "letter", "statement"},
	"complaints":       {"klage", "klagen", "svar", "complaint", "sagsbehandling"},
}

// categoryPhrases give linked feedback words that match its improvement's category.
var categoryPhrases = map[string][]string{
	"waiting_time":  {"ventetiden er for lang", "waiting time is too long", "kø i telefonen"},
	"advice":        {"rådgivningen var mangelfuld", "the advice was wrong", "manglende overblik"},
	"digital":       {"appen mangler funktioner", "selvbetjening virker ikke", "the app needs a fix"},
	"communication": {"uklar kommunikation", "brevet var uforståeligt", "unclear letter"},
	"prices":        {"gebyret er for højt", "the fee is too high", "dyre priser"},
	"accessibility": {"svært at komme i kontakt", "hard to reach anyone", "trappen ved indgangen"},
	"process":       {"alt for meget papirarbejde", "too many forms", "processen er tung"},
	"staff":         {"uvenlig betjening", "rude staff", "medarbejderen var afvisende"},
	"errors":        {"fejl i opgørelsen", "error in my statement", "forkert rente"},
}

var fillers = []string{
	"", "", "", "Igen.", "Tak.", "Thanks.", "Please fix this.", "Det skal I gøre bedre.",
	"Jeg har været kunde i 20 år.", "I have been a customer for years.", "Ellers fint.",
}

// comment writes a comment for a feedback of the given group ("promoter", "passive",
// "detractor" or "" for no score) about a touchpoint, optionally about a category.
func comment(r *rand.Rand, sb *strings.Builder, group, touchpoint, category string) string {
	sb.Reset()
	var bank []string
	switch group {
	case "promoter":
		bank = praise
	case "passive":
		bank = neutral
	case "detractor":
		bank = complaints
	default:
		switch r.IntN(3) {
		case 0:
			bank = praise
		case 1:
			bank = neutral
		default:
			bank = complaints
		}
	}
	sb.WriteString(bank[r.IntN(len(bank))])
	if w := topicWords[touchpoint]; len(w) > 0 && r.IntN(3) > 0 {
		sb.WriteString(" (")
		sb.WriteString(w[r.IntN(len(w))])
		sb.WriteString(")")
	}
	sb.WriteString(". ")
	if p := categoryPhrases[category]; len(p) > 0 {
		sb.WriteString(p[r.IntN(len(p))])
		sb.WriteString(". ")
	}
	if r.IntN(4) == 0 {
		b2 := bank[r.IntN(len(bank))]
		sb.WriteString(b2)
		sb.WriteString(". ")
	}
	sb.WriteString(fillers[r.IntN(len(fillers))])
	return strings.TrimSpace(sb.String())
}

var improvementTitles = map[string][]string{
	"waiting_time":  {"Callback instead of phone queue", "Shorter queue at the counter", "Book a time online for branch visits", "Staff the hotline at lunch"},
	"advice":        {"Checklist for mortgage meetings", "Pension overview before advisory meetings", "Second opinion on large loans"},
	"digital":       {"Stay signed in on the mobile app", "Pay bills from the app in two taps", "Upload documents on the website", "Fix MitID sign-in error"},
	"communication": {"Rewrite the fee letter in plain language", "Text message when a case is closed", "Plain-language interest rate letter"},
	"prices":        {"Explain fees before account opening", "Drop the fee for paper statements", "Fee overview on the website"},
	"accessibility": {"Ramp at the branch entrance", "Longer opening hours on Thursdays", "Sign-language video meetings"},
	"process":       {"One form for account opening", "Digital signature for loan documents", "Fewer steps to change address"},
	"staff":         {"Customer-service training for new staff", "Named adviser for every customer", "Handover when an adviser is away"},
	"errors":        {"Fix rounding in the annual statement", "Correct the interest shown in the app", "Typo in the welcome e-mail"},
}

var resolutionNotes = []string{
	"Changed and tested with five customers.", "Rolled out to all branches.", "Text updated in the template.",
	"Released in the app update.", "New routine described in the handbook.", "Fixed and verified in production.",
}

var rejectReasons = []string{
	"Too costly for the expected effect.", "Already covered by the new core banking system.",
	"Regulation does not allow it.", "Few customers affected.",
}

var followUpNotes = []string{
	"Called the customer, apologised and explained the fee.", "Booked a meeting with the adviser.",
	"Customer satisfied after the call.", "Refunded the fee as goodwill.", "Left a voicemail, then reached by e-mail.",
	"Ringede og undskyldte; kunden var tilfreds.", "Aftalt nyt møde i næste uge.",
}

var firstNames = []string{"Anne", "Mette", "Hanne", "Lars", "Jens", "Peter", "Søren", "Maria", "Camilla",
	"Mikkel", "Frederik", "Ida", "Emma", "Noah", "Oliver", "Sofie", "Niels", "Kirsten", "Bo", "Louise"}
var lastNames = []string{"Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
	"Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen"}
