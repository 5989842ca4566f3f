package simulator

// Word lists for the seeded data. They are East African in flavour so that the
// data looks like what the real commercial API holds, and they include names
// with apostrophes, ampersands and brackets that trip up naive encoders.

var maleFirstNames = []string{
	"Kamau", "Otieno", "Mwangi", "Kiprop", "Wafula", "Mutua", "Omondi", "Kipchoge",
	"Barasa", "Kariuki", "Ochieng", "Kibet", "Musyoka", "Hassan", "Abdi", "Juma",
	"Baraka", "Brian", "Kevin", "Dennis", "Collins", "Peter", "John", "James",
	"Daniel", "Samuel", "Ian", "Tom", "Emmanuel", "Godfrey", "Mugisha", "Habimana",
	"Ssempala", "Hamisi", "Rashid", "Wekesa", "Kipkemboi", "Njoroge", "Festus", "Eliud",
}

var femaleFirstNames = []string{
	"Wanjiru", "Achieng", "Njeri", "Akinyi", "Chebet", "Nafula", "Mwende", "Atieno",
	"Jepkosgei", "Makena", "Nyambura", "Wairimu", "Adhiambo", "Jeptoo", "Ndunge",
	"Halima", "Amina", "Fatuma", "Neema", "Zawadi", "Imani", "Faith", "Mercy",
	"Grace", "Winnie", "Joy", "Esther", "Mary", "Ann", "Lucy", "Caroline", "Sharon",
	"Ivy", "Nakato", "Uwase", "Rehema", "Saida", "Wambui", "Muthoni", "Nekesa",
}

var lastNames = []string{
	"Kamau", "Otieno", "Mwangi", "Ochieng", "Wanjiku", "Kiprotich", "Cheruiyot",
	"Wambui", "Njoroge", "Odhiambo", "Mutiso", "Kiplagat", "Mohamed", "Ali", "Omar",
	"Onyango", "Owino", "Karanja", "Gitau", "Kimani", "Macharia", "Kirui", "Rotich",
	"Langat", "Koech", "Wekesa", "Simiyu", "Nyongesa", "Mugo", "Ndegwa", "Muthoni",
	"Nduta", "Auma", "Nabwire", "Namukasa", "Ssempala", "Mugisha", "Mushi",
	"Massawe", "Kimaro", "O'Brien", "Wa Mwangi", "Ole Sankale", "Abdullahi",
}

var companyPrefixes = []string{
	"Amani", "Baraka", "Jambo", "Kilimanjaro", "Savannah", "Mombasa", "Nairobi",
	"Kisumu", "Nakuru", "Eldoret", "Tana", "Rift Valley", "Mara", "Simba", "Twiga",
	"Tembo", "Zawadi", "Upendo", "Neema", "Imani", "Faraja", "Pwani", "Lamu",
	"Malindi", "Thika", "Nyeri", "Meru", "Kampala", "Arusha", "Dodoma", "Kigali",
	"Mwanga", "Jua", "Maji", "Mlima", "Bahari", "Safari", "Harambee", "Uhuru",
	"Jamii", "Tumaini", "Baobab", "Acacia", "Flamingo", "Kiambu", "Machakos",
	"Naivasha", "Voi", "Kericho", "Nanyuki",
}

var companyTrades = []string{
	"Traders", "Logistics", "Hardware", "Agrovet", "Pharmacy", "Supermarket",
	"Motors", "Builders", "Dairy", "Farm Supplies", "Media", "Tech Solutions",
	"Investments", "Tours & Travel", "Hotel", "Bakery", "Printers", "Electricals",
	"Textiles", "Academy", "Medical Clinic", "Petroleum", "Water Services",
	"Fresh Produce", "Real Estate", "Insurance Agency", "Auto Spares", "Cyber Cafe",
	"Salon & Spa", "Butchery", "Furniture", "Coffee House", "Beverages", "Sacco",
	"Boda Riders", "Creameries", "Fish Mongers", "Tea Growers", "Steel Works",
}

var companySuffixes = []string{
	"Ltd", "Limited", "Enterprises", "Co.", "& Sons", "(K) Ltd", "Group", "", "",
	"(U) Ltd", "(T) Ltd", "Holdings", "Company Limited",
}

var emailProviders = []string{"gmail.com", "yahoo.com", "outlook.com", "gmail.com"}

var companyTLDs = []string{"co.ke", "co.ke", "com", "co.ug", "co.tz", "africa", "rw"}

var leadStatuses = []string{
	"NEW", "NEW", "NEW", "CONTACTED", "CONTACTED", "QUALIFIED", "PROPOSAL",
	"NEGOTIATION", "WON", "LOST", "ON_HOLD",
}

var leadNodes = []string{
	"lead_capture", "qualification", "needs_analysis", "proposal", "negotiation",
	"closing", "handover",
}

var categoryNames = []string{
	"Corporate", "SME", "Government", "NGO", "Education", "Healthcare",
	"Hospitality", "Retail", "Agriculture", "Manufacturing", "Real Estate",
	"Transport & Logistics", "Financial Services", "Telecoms",
	"Media & Entertainment", "Energy", "Construction", "Tourism",
	"Faith-based Organisation", "Professional Services", "Automotive", "FMCG",
	"Pharmaceuticals", "Insurance", "Sports & Fitness", "Beauty & Wellness",
	"Food & Beverage", "Security Services", "ICT", "Individual Consumer",
}

var sourceNames = []string{
	"Walk-in", "Referral", "Website", "Facebook", "Instagram", "Twitter / X",
	"LinkedIn", "TikTok", "WhatsApp", "Radio Advert", "TV Advert", "Newspaper",
	"Billboard", "Trade Show", "Cold Call", "Email Campaign", "SMS Campaign",
	"Partner Referral", "Field Sales", "Google Ads", "Event Sponsorship",
	"Existing Customer", "Roadshow", "Webinar", "Call Centre",
}

var productNames = []string{
	"Radio Spot 30s", "Radio Spot 60s", "TV Spot 30s", "Prime Time TV Spot",
	"Newspaper Full Page", "Half Page Advert", "Quarter Page Advert",
	"Classified Listing", "Billboard (1 month)", "Digital Banner",
	"Sponsored Article", "Social Media Package", "Influencer Campaign",
	"Event Sponsorship Gold", "Event Sponsorship Silver", "Podcast Sponsorship",
	"Video Production", "Jingle Production", "SMS Blast 10k",
	"Email Newsletter Slot", "Website Takeover", "Outside Broadcast",
	"Talk Show Feature", "Drive Time Mention", "Breakfast Show Mention",
	"Branded Content Series", "Magazine Insert", "YouTube Pre-roll",
	"Market Research Report", "Photo Shoot",
}

var partnerWords = []string{
	"Lakeside", "Highlands", "Coastal", "Savannah", "Equator", "Great Lakes",
	"Kilimanjaro", "Nile", "Rift", "Sunrise", "Pwani", "Mount Kenya", "Victoria",
	"Serengeti", "Tsavo", "Amboseli", "Rwenzori", "Zanzibar", "Kivu", "Turkana",
}

var partnerKinds = []string{
	"Media Partners", "Ad Agency", "Communications", "Creative Studio",
	"Marketing Ltd", "Brand Consultants", "Digital", "Events & PR",
}

var userStatuses = []string{"active", "active", "active", "active", "inactive", "suspended"}

var staffRoles = []string{"sales", "sales", "sales", "finance", "support", "manager", "admin"}
