"""Template pools for free text.

Neutral clauses are factual and avoid sentiment-bearing words so that a lexicon model (VADER
style) can tell the labelled sentiment from the sentiment clause that is appended.
Slots: {order} ORD-1234567, {tracking} 1Z..., {product}, {amount}, {day}, {store}, {name},
{agent}, {pii} (a sentence containing an email/phone/card/CPF).
"""

from __future__ import annotations

INTENTS = ["order_tracking", "returns", "billing", "technical_issue", "product_question",
           "complaint", "cancellation", "account"]
SENTIMENTS = ["negative", "neutral", "positive"]

POSITIVE = [
    "Thanks so much, that was great!",
    "Really appreciate the quick help, you are awesome.",
    "Perfect, thank you, that works great.",
    "Excellent service, I am very happy.",
    "Wonderful, thanks a lot!",
    "Great, that solved it. Thank you!",
    "Love it, thanks for the fast reply.",
    "Amazing support, thank you so much.",
    "That is fantastic news, thanks!",
    "Brilliant, I really appreciate it. Great job!",
    "Awesome, happy with the solution. Thanks!",
    "Super helpful, thank you, have a great day!",
]
NEGATIVE = [
    "This is terrible, still broken and I'm furious.",
    "Absolutely unacceptable, I am so frustrated.",
    "Worst service ever, I am really angry.",
    "This is ridiculous, nothing works and I am fed up.",
    "I am extremely disappointed, this is awful.",
    "Horrible experience, I hate this.",
    "Still not fixed. This is a terrible mess and I am upset.",
    "Awful. I am angry and disappointed with your company.",
    "This is a disaster, I am sick of waiting.",
    "Terrible support, what a waste of my time. I am furious!",
    "Pathetic. I am really annoyed and frustrated.",
    "Unacceptable and stupid, I am very upset.",
]
NEUTRAL_TAIL = [
    "", "", "", "",
    "I am available until 5 pm today.",
    "The account is under this email.",
    "Let me know the next step.",
    "I can send more details if needed.",
    "I will check again tomorrow morning.",
    "This is for my household account.",
]

CUSTOMER_OPEN: dict[str, list[str]] = {
    "order_tracking": [
        "Where is my order {order}? The tracking page for {tracking} has not updated since {day}.",
        "I placed order {order} on {day} and it has not arrived yet. Tracking shows {tracking}.",
        "Can you tell me the delivery status of order {order}?",
        "Order {order} was supposed to arrive on {day}. What is the current status of the shipment?",
        "The carrier page for {tracking} shows the same status since {day}. This is order {order}.",
    ],
    "returns": [
        "I need to return the {product} from order {order}.",
        "How do I send back the {product} I bought at the {store} store on {day}?",
        "I am requesting a refund for the {product} in order {order}. It arrived opened.",
        "The {product} in order {order} is not what I ordered. I need to exchange it.",
        "What is the return window for the {product}? I bought it on {day}.",
    ],
    "billing": [
        "My card shows two payments of {amount} for order {order}.",
        "My invoice shows {amount} but the receipt from the {store} store says something else.",
        "Why is there a charge of {amount} on my card from {day}?",
        "The refund of {amount} for order {order} has not appeared on my statement.",
        "I need a copy of the invoice for order {order}, total {amount}.",
    ],
    "technical_issue": [
        "The app crashes when I open my order history.",
        "I cannot log in to the website, the page keeps loading after I enter my password.",
        "The checkout page shows code 502 when I submit the order.",
        "The mobile app does not load the member card since the update on {day}.",
        "The coupon code field is disabled on the website.",
    ],
    "product_question": [
        "Is the {product} in stock at the {store} store?",
        "Does the {product} contain peanuts or gluten?",
        "What is the difference between the {product} sizes?",
        "Can you tell me where the {product} is made?",
        "Will the {product} be available again next week at {store}?",
    ],
    "complaint": [
        "The deli counter at the {store} store was unattended for twenty minutes on {day}.",
        "The {product} I bought on {day} was spoiled when I opened it.",
        "My order {order} arrived two days after the delivery date and the box was dented.",
        "The receipt from {store} shows {amount} above the shelf price.",
        "I waited forty minutes on hold yesterday about order {order}.",
    ],
    "cancellation": [
        "I need to call off order {order}.",
        "End my subscription before the next renewal on {day}.",
        "I need to call off order {order} placed on {day}; I ordered the {product} in the other size.",
        "How do I close my store membership?",
        "Call off the delivery scheduled for {day} for order {order}.",
    ],
    "account": [
        "I need to change the email address on my account.",
        "How do I reset my password? The reset link expired.",
        "The points from my purchase on {day} are not on my account.",
        "I need to update the phone on my profile.",
        "Can you merge my two member accounts into one?",
    ],
}

CUSTOMER_FOLLOW: dict[str, list[str]] = {
    "order_tracking": ["It is order {order}.", "The tracking code is {tracking}.",
                        "It shipped on {day} according to the email.", "I am at the address all day."],
    "returns": ["It is the {product} from order {order}.", "I still have the receipt from {store}.",
                "The box is unopened.", "I bought it on {day}."],
    "billing": ["The amount was {amount}.", "The charge is from {day}.", "It is order {order}.",
                "The card ends in the same digits as always."],
    "technical_issue": ["I am on the latest version of the app.", "I tried on my phone and laptop.",
                        "I deleted the cache and rebooted.", "It started on {day}."],
    "product_question": ["I mean the {product}.", "I usually shop at {store}.",
                         "I need it for a dinner on {day}.", "The label only lists the weight."],
    "complaint": ["It happened at the {store} store.", "It was on {day}.",
                  "The order is {order}.", "I have photos of the {product}."],
    "cancellation": ["The order is {order}.", "It was placed on {day}.",
                     "I do not need the {product} anymore.", "The renewal is on {day}."],
    "account": ["The account is under my name, {name}.", "I signed up at the {store} store.",
                "The last purchase was on {day}.", "I use the same email as before."],
}

AGENT_FIRST = [
    "Hi {name}, this is {agent}. I am looking into this now.",
    "Hello {name}, {agent} here. Let me check the details for you.",
    "Hi {name}, I am {agent} from the service desk. I will review your request.",
]
AGENT_REPLY: dict[str, list[str]] = {
    "order_tracking": ["Order {order} is at the local depot and delivery is expected on {day}.",
                       "The carrier scanned {tracking} this morning. It is out for delivery.",
                       "I have requested a trace on {tracking} with the carrier."],
    "returns": ["I have sent a return label for the {product} to your inbox.",
                "You can bring the {product} to any store, including {store}, within 30 days.",
                "The refund for the {product} goes back to the same card you used."],
    "billing": ["I see the duplicate charge of {amount}. The reversal takes 3 to 5 business days.",
                "I have sent the invoice for order {order} to your email.",
                "The {amount} is a pre-authorisation and it expires in 3 days."],
    "technical_issue": ["Our engineers deployed a patch. Update the app to the latest version.",
                        "I have reset your session. Try to log in again now.",
                        "I have escalated this to our engineers with the details."],
    "product_question": ["The {product} is in stock at {store} today.",
                         "The {product} is produced in a facility that also handles peanuts and almonds.",
                         "The {product} comes in three sizes; the largest is the family pack."],
    "complaint": ["I have passed this to the manager at {store}.",
                  "I have added {amount} to your account balance.",
                  "I have logged a formal report about order {order}."],
    "cancellation": ["Order {order} is called off and the payment is reversed.",
                     "Your subscription will end on {day}.",
                     "The delivery for {day} is off the schedule."],
    "account": ["I have updated the email on your account.",
                "I have sent a new password reset link.",
                "The points from {day} are now on your account."],
}
AGENT_COURTESY = ["", "", "", "Happy to help!", "Thanks for your patience.", "Glad I could help!"]
# courtesy index >= 3 makes the agent message positive

BOT_LINES = [
    "You are chatting with the virtual assistant. Choose a topic: orders, returns, billing or account.",
    "Connecting you to an agent now.",
    "An agent will enter this chat in about two minutes.",
    "Type your order code to continue.",
]

# ------------------------------------------------------------------ tickets (B2B support)
TICKET_SUBCATEGORIES: dict[str, list[str]] = {
    "TECHNICAL": ["PAYMENT_TERMINAL", "API_INTEGRATION", "LOGIN_ACCESS", "PERFORMANCE", "BUG_REPORT"],
    "FINANCIAL": ["BILLING_DISPUTE", "REFUND_REQUEST", "INVOICE", "CHARGEBACK", "FEES"],
    "COMMERCIAL": ["PLAN_UPGRADE", "NEW_CONTRACT", "PRICING", "CANCELLATION_REQUEST"],
    "COMPLAINT": ["SERVICE_QUALITY", "DELAY", "AGENT_BEHAVIOR", "PRODUCT_DEFECT"],
    "INFORMATION": ["HOW_TO", "DOCUMENTATION", "FEATURE_QUESTION", "ACCOUNT_INFO"],
}
TICKET_SUBJECT = {
    "PAYMENT_TERMINAL": ["Card terminal {terminal} not processing payments", "POS terminal offline at our store",
                         "Terminal {terminal} rejects contactless cards"],
    "API_INTEGRATION": ["Webhook deliveries stopped", "API returns 401 for our integration",
                        "Settlement report endpoint timing out"],
    "LOGIN_ACCESS": ["Cannot access the merchant portal", "Two-factor code not arriving",
                     "User locked out of the dashboard"],
    "PERFORMANCE": ["Dashboard very slow to load", "Transactions taking minutes to confirm",
                    "Reports export takes hours"],
    "BUG_REPORT": ["Wrong totals in the daily report", "Duplicate transactions in the statement",
                   "Receipt printer prints blank receipts"],
    "BILLING_DISPUTE": ["Disputed charge on invoice {invoice}", "Invoice {invoice} amount is higher than the contract",
                        "Unexpected fee on invoice {invoice}"],
    "REFUND_REQUEST": ["Refund request for invoice {invoice}", "Refund of duplicate payment",
                       "Refund for cancelled service"],
    "INVOICE": ["Need a copy of invoice {invoice}", "Update company details on invoice {invoice}",
                "Invoice {invoice} not received"],
    "CHARGEBACK": ["Chargeback received for transaction {txn}", "Dispute evidence for chargeback {txn}",
                   "Too many chargebacks this month"],
    "FEES": ["Question about the processing fee", "Fee table for the new plan", "MDR rate changed"],
    "PLAN_UPGRADE": ["Upgrade to the enterprise plan", "Add new stores to our plan", "More terminals for our stores"],
    "NEW_CONTRACT": ["New contract for our second company", "Contract renewal terms", "Sign the new service agreement"],
    "PRICING": ["Pricing for 20 additional terminals", "Discount for annual payment", "Price of the analytics add-on"],
    "CANCELLATION_REQUEST": ["Cancel our contract", "Cancellation of two terminals", "End the analytics add-on"],
    "SERVICE_QUALITY": ["Support quality is getting worse", "No answer for a week", "Repeated unresolved tickets"],
    "DELAY": ["Settlement delayed again", "Terminal replacement delayed", "Onboarding delayed"],
    "AGENT_BEHAVIOR": ["Agent closed my ticket without a fix", "Rude reply from support", "Agent did not call back"],
    "PRODUCT_DEFECT": ["Defective terminal received", "Card reader broken on arrival", "Battery of terminal {terminal} failing"],
    "HOW_TO": ["How to issue a partial refund", "How to add a new user", "How to export transactions"],
    "DOCUMENTATION": ["Where is the API documentation", "Documentation for the settlement file", "Need the integration manual"],
    "FEATURE_QUESTION": ["Does the terminal support split payments", "Can we set tips on the terminal", "Is PIX supported"],
    "ACCOUNT_INFO": ["Change the bank account for settlements", "Update the company address", "Add a finance contact"],
}
TICKET_BODY: dict[str, list[str]] = {
    "TECHNICAL": [
        "Since {day} terminal {terminal} at our {branch} branch shows code {errcode} on every card payment.",
        "Our integration receives HTTP 401 from the API since {day}. We did not change the credentials.",
        "The merchant portal does not load for the finance team since {day}.",
        "Transactions take more than two minutes to confirm at the {branch} branch since {day}.",
        "The daily report for {day} shows totals that do not match the terminal closing.",
    ],
    "FINANCIAL": [
        "Invoice {invoice} has a charge of {amount} that is not in our contract.",
        "We paid invoice {invoice} twice, {amount} each time. We need the refund of one payment.",
        "We received a chargeback for transaction {txn} of {amount} and need to send evidence.",
        "The fee on invoice {invoice} went from 2.1% to 2.9% without notice.",
        "We need a copy of invoice {invoice} with the new company address.",
    ],
    "COMMERCIAL": [
        "We plan to add {n} terminals for the new {branch} branch.",
        "We need a quote for the enterprise plan for {n} stores.",
        "Our contract renews on {day}; we need to review the pricing before that.",
        "We plan to return {n} terminals at the {branch} branch.",
    ],
    "COMPLAINT": [
        "This is the third ticket about settlement delays and nobody answered since {day}.",
        "The replacement terminal scheduled for {day} never arrived at the {branch} branch.",
        "An agent closed our previous ticket without any fix.",
        "The card reader we received on {day} does not turn on.",
    ],
    "INFORMATION": [
        "How do we issue a partial refund of {amount} on the terminal?",
        "Where can we find the documentation for the settlement file?",
        "Can the terminal split a payment between two cards?",
        "We need to add a new finance contact to the account.",
    ],
}
TICKET_CUSTOMER_REPLY = [
    "We tried that and the result is the same.",
    "Attached the screenshot from the {branch} branch.",
    "The transaction id is {txn}.",
    "We restarted the terminal as suggested.",
    "The invoice is {invoice}.",
    "Our team is available until 6 pm.",
]
TICKET_AGENT_REPLY = [
    "We received the request and are analysing the case.",
    "Could you send the terminal serial code and a photo of the screen?",
    "We escalated the case to the second level team.",
    "We applied a configuration update. Test again now.",
    "The refund was requested and should appear within 5 business days.",
    "We scheduled a technician visit for {day}.",
    "The credentials were regenerated; update your integration with the new keys.",
    "We sent the document to the registered email.",
]
TICKET_NOTES = [
    "Checked logs: code {errcode} on terminal {terminal}.",
    "Customer has another open ticket on the same topic.",
    "Escalated to tier 2 per runbook.",
    "Waiting for the finance team to confirm the refund.",
    "Known incident INC-{n}, linked.",
    "Called the customer, voicemail.",
]
TICKET_TAGS: dict[str, list[str]] = {
    "TECHNICAL": ["terminal", "pos", "api", "login", "outage", "bug", "performance", "integration"],
    "FINANCIAL": ["invoice", "refund", "chargeback", "fees", "billing", "payment"],
    "COMMERCIAL": ["upsell", "renewal", "pricing", "contract", "expansion"],
    "COMPLAINT": ["escalation", "vip", "delay", "quality", "callback"],
    "INFORMATION": ["how-to", "docs", "faq", "onboarding"],
}

# ------------------------------------------------------------------ email
EMAIL_SUBJECT: dict[str, list[str]] = {
    "order_tracking": ["Where is my order {order}?", "Order {order} delivery status", "Tracking {tracking}"],
    "returns": ["Return request for order {order}", "Refund for {product}", "Exchange {product}"],
    "billing": ["Double charge on order {order}", "Question about a charge of {amount}", "Invoice request {order}"],
    "technical_issue": ["Website login not working", "App closes on launch", "Checkout code 502"],
    "product_question": ["Question about {product}", "Is {product} in stock?", "{product} ingredients"],
    "complaint": ["Report about the {store} store", "Order {order} arrived late", "Spoiled {product}"],
    "cancellation": ["Call off order {order}", "End my subscription", "Cancellation request"],
    "account": ["Account email change", "Password reset", "Points not on my account"],
}
EMAIL_GREETING = ["Hello,", "Hi there,", "To the service desk,", "Hi,", "Hello team,"]
EMAIL_SIGNOFF = ["Regards,", "--", "Sent from my phone", "Yours,", "Regards"]

PII_SENTENCES = {
    "email": ["You can reach me at {pii}.", "My other email is {pii}.", "Reply to {pii} instead."],
    "phone": ["Call me at {pii}.", "My phone is {pii}.", "WhatsApp: {pii}."],
    "card": ["The card used was {pii}.", "The payment went through card {pii}.", "I paid with card {pii}."],
    "cpf": ["My CPF is {pii}.", "CPF {pii} for the invoice.", "The account holder CPF is {pii}."],
}
