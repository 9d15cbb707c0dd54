"""Static reference content: retail catalogue, stores, holidays, nicknames."""

from __future__ import annotations

# (base name, category, subcategory, description, typical price USD)
PRODUCT_BASES: list[tuple[str, str, str, str, float]] = [
    # --- cheese
    ("Roquefort", "cheese", "blue", "French blue sheep's-milk cheese aged in the caves of Roquefort-sur-Soulzon; tangy, salty and creamy with green-blue veins", 12.99),
    ("Brie de Meaux", "cheese", "soft-ripened", "French soft-ripened cow's-milk cheese with a bloomy white rind and a buttery, mushroomy centre", 10.49),
    ("Camembert", "cheese", "soft-ripened", "Normandy soft cow's-milk cheese with an earthy aroma and a runny, creamy paste", 8.99),
    ("Gruyère", "cheese", "alpine", "Swiss alpine cow's-milk cheese aged 12 months; nutty, sweet and slightly crystalline, ideal for fondue", 11.99),
    ("Comté", "cheese", "alpine", "French Jura raw cow's-milk cheese with notes of hazelnut and brown butter", 12.49),
    ("Emmental", "cheese", "alpine", "Swiss cow's-milk cheese with large holes and a mild, fruity flavour", 8.49),
    ("Manchego", "cheese", "hard", "Spanish sheep's-milk cheese from La Mancha aged six months; firm, nutty and slightly peppery", 11.49),
    ("Parmigiano Reggiano", "cheese", "hard", "Italian hard cow's-milk cheese aged 24 months; granular texture, savoury umami crystals", 14.99),
    ("Pecorino Romano", "cheese", "hard", "Italian hard sheep's-milk grating cheese, sharp and salty", 9.99),
    ("Aged Gouda", "cheese", "hard", "Dutch cow's-milk Gouda aged 18 months with butterscotch sweetness and crunchy crystals", 10.99),
    ("Gorgonzola Dolce", "cheese", "blue", "Italian soft blue cow's-milk cheese, mild, sweet and spoonable", 9.49),
    ("Stilton", "cheese", "blue", "English blue cow's-milk cheese, rich and mellow with a crumbly texture", 11.99),
    ("Fresh Mozzarella", "cheese", "fresh", "Soft fresh cow's-milk mozzarella, milky and delicate, for caprese and pizza", 5.99),
    ("Burrata", "cheese", "fresh", "Italian fresh mozzarella pouch filled with cream and stracciatella", 7.99),
    ("Chèvre", "cheese", "fresh", "French fresh goat's-milk cheese log, bright, lemony and spreadable", 6.99),
    ("Feta", "cheese", "fresh", "Greek brined sheep's- and goat's-milk cheese, salty and crumbly", 6.49),
    ("Aged Cheddar", "cheese", "hard", "Vermont cow's-milk cheddar aged two years; sharp, tangy and crumbly", 7.99),
    ("Taleggio", "cheese", "washed-rind", "Italian washed-rind cow's-milk cheese, pungent aroma with a fruity, tangy paste", 10.99),
    ("Époisses", "cheese", "washed-rind", "Burgundy washed-rind cow's-milk cheese rinsed in marc brandy; intensely creamy", 15.99),
    ("Halloumi", "cheese", "fresh", "Cypriot semi-hard grilling cheese of goat's and sheep's milk that does not melt", 6.99),
    ("Ricotta", "cheese", "fresh", "Fresh whole-milk ricotta, light and sweet, for lasagne and cannoli", 4.99),
    ("Havarti", "cheese", "semi-soft", "Danish semi-soft cow's-milk cheese, buttery and mild with small holes", 6.99),
    ("Fontina Val d'Aosta", "cheese", "semi-soft", "Italian alpine cow's-milk cheese, earthy and melting", 10.49),
    ("Raclette", "cheese", "alpine", "Swiss melting cheese for scraping over potatoes, savoury and aromatic", 11.49),
    # --- bakery
    ("Sourdough Boule", "bakery", "bread", "Naturally leavened country loaf with a crackling crust and open, tangy crumb", 6.49),
    ("French Baguette", "bakery", "bread", "Crusty traditional baguette baked fresh every morning", 3.49),
    ("Ciabatta", "bakery", "bread", "Italian slipper bread with an airy crumb, great for panini", 3.99),
    ("Seeded Rye Bread", "bakery", "bread", "Dense rye loaf with caraway and sunflower seeds", 5.49),
    ("Whole Wheat Sandwich Loaf", "bakery", "bread", "Soft sliced whole wheat bread for everyday sandwiches", 4.29),
    ("Butter Croissant", "bakery", "pastry", "Flaky all-butter croissant with a honeycomb interior", 2.99),
    ("Pain au Chocolat", "bakery", "pastry", "Laminated pastry wrapped around two batons of dark chocolate", 3.29),
    ("Almond Croissant", "bakery", "pastry", "Twice-baked croissant filled with frangipane and topped with sliced almonds", 3.79),
    ("Blueberry Muffin", "bakery", "pastry", "Moist muffin packed with wild blueberries and a crumb topping", 2.79),
    ("Cinnamon Roll", "bakery", "pastry", "Soft swirled roll with cinnamon sugar and cream-cheese icing", 3.49),
    ("Focaccia", "bakery", "bread", "Olive-oil focaccia with rosemary and flaky sea salt", 5.99),
    ("Bagels", "bakery", "bread", "Hand-rolled, kettle-boiled bagels, chewy with a glossy crust", 5.49),
    ("Apple Pie", "bakery", "dessert", "Double-crust apple pie with cinnamon and a lattice top", 12.99),
    ("Chocolate Chip Cookies", "bakery", "dessert", "Chewy cookies with dark chocolate chunks and sea salt", 4.99),
    ("Pierogi", "bakery", "prepared", "Potato and cheddar pierogi, a Pittsburgh favourite, ready to pan-fry", 7.49),
    # --- produce
    ("Honeycrisp Apples", "produce", "fruit", "Crisp, juicy and sweet-tart apples", 2.49),
    ("Bananas", "produce", "fruit", "Ripe yellow bananas, sold by the pound", 0.69),
    ("Hass Avocados", "produce", "fruit", "Creamy Hass avocados, ready to eat in two days", 1.79),
    ("Strawberries", "produce", "berries", "Sweet red strawberries, hand-picked", 4.49),
    ("Blueberries", "produce", "berries", "Plump blueberries, great for breakfast and baking", 4.99),
    ("Raspberries", "produce", "berries", "Delicate red raspberries", 5.49),
    ("Navel Oranges", "produce", "fruit", "Seedless navel oranges, easy to peel and juicy", 1.29),
    ("Lemons", "produce", "fruit", "Bright, zesty lemons", 0.79),
    ("Baby Spinach", "produce", "greens", "Tender triple-washed baby spinach leaves", 3.99),
    ("Romaine Hearts", "produce", "greens", "Crunchy romaine hearts for Caesar salad", 3.49),
    ("Kale", "produce", "greens", "Curly green kale, rich in vitamins", 2.49),
    ("Heirloom Tomatoes", "produce", "vegetables", "Colourful heirloom tomatoes with rich old-fashioned flavour", 4.99),
    ("Cherry Tomatoes", "produce", "vegetables", "Sweet cherry tomatoes on the vine", 3.99),
    ("Yellow Onions", "produce", "vegetables", "Everyday cooking onions", 1.19),
    ("Garlic", "produce", "vegetables", "Fresh whole garlic bulbs", 0.89),
    ("Russet Potatoes", "produce", "vegetables", "Starchy russet potatoes for baking and mashing", 3.99),
    ("Sweet Potatoes", "produce", "vegetables", "Orange-fleshed sweet potatoes", 1.49),
    ("Carrots", "produce", "vegetables", "Crunchy whole carrots", 1.99),
    ("Broccoli Crowns", "produce", "vegetables", "Fresh green broccoli crowns", 2.49),
    ("Cremini Mushrooms", "produce", "vegetables", "Earthy baby bella mushrooms", 3.29),
    ("Fresh Basil", "produce", "herbs", "Fragrant Genovese basil", 2.99),
    ("Cilantro", "produce", "herbs", "Fresh bunch of cilantro", 1.29),
    # --- wine
    ("Bordeaux Rouge", "wine", "red", "Merlot-led red blend from Bordeaux, France; plum, cedar and soft tannins", 17.99),
    ("Chianti Classico", "wine", "red", "Tuscan Sangiovese with cherry, leather and bright acidity", 19.99),
    ("Rioja Reserva", "wine", "red", "Spanish Tempranillo aged in oak; vanilla, red fruit and spice", 21.99),
    ("Napa Cabernet Sauvignon", "wine", "red", "Full-bodied Californian Cabernet with blackcurrant and mocha", 34.99),
    ("Oregon Pinot Noir", "wine", "red", "Willamette Valley Pinot Noir, silky with cranberry and earth", 27.99),
    ("Malbec", "wine", "red", "Argentine Malbec from Mendoza; dark fruit and violet", 14.99),
    ("Côtes du Rhône", "wine", "red", "Grenache-Syrah blend with peppery red fruit", 15.99),
    ("Sancerre", "wine", "white", "Loire Valley Sauvignon Blanc, flinty and citrusy", 29.99),
    ("Chablis", "wine", "white", "Unoaked Burgundy Chardonnay with green apple and mineral notes", 27.99),
    ("Pinot Grigio", "wine", "white", "Crisp Italian white with pear and lemon", 12.99),
    ("Riesling Kabinett", "wine", "white", "Off-dry German Riesling with peach and lime", 18.99),
    ("Albariño", "wine", "white", "Spanish coastal white with saline, stone-fruit character", 17.99),
    ("Provence Rosé", "wine", "rosé", "Pale dry rosé with strawberry and herbs", 16.99),
    ("Prosecco", "wine", "sparkling", "Italian sparkling wine with green apple and pear", 14.99),
    ("Champagne Brut", "wine", "sparkling", "French Champagne with brioche, citrus and fine bubbles", 44.99),
    ("Cava", "wine", "sparkling", "Spanish traditional-method sparkling wine", 12.99),
    # --- deli
    ("Prosciutto di Parma", "deli", "cured meats", "Italian dry-cured ham aged 18 months, sliced paper-thin", 8.99),
    ("Jamón Serrano", "deli", "cured meats", "Spanish mountain ham, nutty and savoury", 8.49),
    ("Genoa Salami", "deli", "cured meats", "Garlicky Italian-style dry salami", 6.99),
    ("Chorizo", "deli", "cured meats", "Spanish smoked paprika sausage", 7.49),
    ("Mortadella", "deli", "cured meats", "Bologna-style pork sausage with pistachios", 6.49),
    ("Smoked Turkey Breast", "deli", "sliced meats", "Oven-roasted, hickory-smoked turkey breast", 9.99),
    ("Chipped Chopped Ham", "deli", "sliced meats", "Pittsburgh-style chipped chopped ham, shaved thin", 6.99),
    ("Roast Beef", "deli", "sliced meats", "Slow-roasted top round, sliced to order", 11.99),
    ("Pastrami", "deli", "sliced meats", "Peppered, smoked brisket pastrami", 12.49),
    ("Hummus", "deli", "dips", "Chickpea hummus with tahini, lemon and garlic", 4.49),
    ("Olive Medley", "deli", "antipasti", "Castelvetrano, Kalamata and Niçoise olives marinated with herbs", 6.99),
    ("Marinated Artichokes", "deli", "antipasti", "Artichoke hearts in herb oil", 5.99),
    ("Chicken Salad", "deli", "prepared", "Roast chicken salad with celery and tarragon mayonnaise", 8.99),
    ("Rotisserie Chicken", "deli", "prepared", "Whole herb-roasted rotisserie chicken", 9.99),
    ("Italian Hoagie", "deli", "sandwiches", "Capicola, salami, provolone, lettuce, tomato and oil on a seeded roll", 9.49),
    # --- beverages
    ("Cold Brew Coffee", "beverages", "coffee", "Smooth slow-steeped cold brew concentrate", 5.99),
    ("Whole Bean Coffee", "beverages", "coffee", "Medium-roast whole bean coffee with chocolate and caramel notes", 12.99),
    ("Espresso Beans", "beverages", "coffee", "Dark-roast espresso blend", 13.99),
    ("Green Tea", "beverages", "tea", "Japanese sencha green tea bags", 4.99),
    ("Earl Grey Tea", "beverages", "tea", "Black tea with bergamot", 4.79),
    ("Sparkling Water", "beverages", "water", "Lightly carbonated mineral water", 1.49),
    ("Orange Juice", "beverages", "juice", "Not-from-concentrate orange juice, no pulp", 4.99),
    ("Apple Cider", "beverages", "juice", "Fresh-pressed unfiltered apple cider", 5.49),
    ("Kombucha", "beverages", "functional", "Raw fermented tea with ginger", 3.99),
    ("Craft IPA", "beverages", "beer", "Hoppy India pale ale from a local brewery", 11.99),
    ("Lager", "beverages", "beer", "Crisp Pittsburgh-brewed lager", 9.99),
    ("Oat Milk", "beverages", "plant milk", "Creamy barista oat milk", 4.49),
    # --- pantry
    ("Extra Virgin Olive Oil", "pantry", "oils", "Cold-pressed extra virgin olive oil, peppery and green", 13.99),
    ("Balsamic Vinegar of Modena", "pantry", "vinegar", "Aged balsamic vinegar, sweet and syrupy", 9.99),
    ("Spaghetti", "pantry", "pasta", "Bronze-die Italian durum wheat spaghetti", 2.99),
    ("Rigatoni", "pantry", "pasta", "Ridged tube pasta that holds sauce", 2.99),
    ("Marinara Sauce", "pantry", "sauces", "Slow-simmered tomato sauce with basil and garlic", 6.49),
    ("San Marzano Tomatoes", "pantry", "canned", "Whole peeled San Marzano tomatoes", 4.49),
    ("Arborio Rice", "pantry", "grains", "Short-grain rice for risotto", 4.99),
    ("Basmati Rice", "pantry", "grains", "Aged long-grain basmati rice", 5.99),
    ("Rolled Oats", "pantry", "grains", "Old-fashioned whole grain rolled oats", 3.99),
    ("Wildflower Honey", "pantry", "sweeteners", "Raw local wildflower honey", 8.99),
    ("Maple Syrup", "pantry", "sweeteners", "Grade A dark pure maple syrup", 11.99),
    ("Strawberry Preserves", "pantry", "spreads", "Small-batch strawberry preserves", 5.49),
    ("Peanut Butter", "pantry", "spreads", "Natural creamy peanut butter", 4.99),
    ("Dijon Mustard", "pantry", "condiments", "Sharp French Dijon mustard", 3.99),
    ("Sea Salt Flakes", "pantry", "spices", "Flaky finishing sea salt", 6.99),
    ("Black Peppercorns", "pantry", "spices", "Whole Tellicherry black peppercorns", 5.99),
    ("Dark Chocolate Bar", "pantry", "confectionery", "70% cacao single-origin dark chocolate", 3.99),
    ("Sea Salt Crackers", "pantry", "crackers", "Crisp crackers for cheese boards", 4.49),
    ("Fig Jam", "pantry", "spreads", "Black mission fig jam, perfect with blue cheese", 6.99),
    ("Marcona Almonds", "pantry", "nuts", "Spanish Marcona almonds fried in olive oil and salted", 8.99),
    ("Kettle Potato Chips", "pantry", "snacks", "Thick-cut kettle-cooked potato chips", 3.49),
    # --- dairy
    ("Whole Milk", "dairy", "milk", "Local grass-fed whole milk", 3.99),
    ("Greek Yogurt", "dairy", "yogurt", "Thick strained plain Greek yogurt", 5.49),
    ("Salted Butter", "dairy", "butter", "Cultured salted butter", 5.99),
    ("Heavy Cream", "dairy", "cream", "Heavy whipping cream", 4.49),
    ("Free-Range Eggs", "dairy", "eggs", "Large brown free-range eggs", 5.29),
    # --- meat & seafood
    ("Ribeye Steak", "meat", "beef", "USDA Choice boneless ribeye, well marbled", 15.99),
    ("Ground Beef", "meat", "beef", "85% lean ground chuck", 6.99),
    ("Chicken Thighs", "meat", "poultry", "Boneless skinless chicken thighs", 5.99),
    ("Pork Chops", "meat", "pork", "Bone-in center-cut pork chops", 7.99),
    ("Kielbasa", "meat", "sausage", "Smoked Polish kielbasa from a Strip District butcher", 6.99),
    ("Atlantic Salmon Fillet", "seafood", "fish", "Fresh skin-on Atlantic salmon fillet", 12.99),
    ("Wild Shrimp", "seafood", "shellfish", "Wild-caught Gulf shrimp, peeled and deveined", 13.99),
    # --- frozen
    ("Vanilla Bean Ice Cream", "frozen", "desserts", "Rich ice cream with Madagascar vanilla", 6.49),
    ("Margherita Pizza", "frozen", "meals", "Stone-baked frozen pizza with mozzarella and basil", 8.99),
    ("Frozen Peas", "frozen", "vegetables", "Sweet garden peas, flash frozen", 2.49),
    # --- household
    ("Dish Soap", "household", "cleaning", "Plant-based dish soap, lemon verbena scent", 3.99),
    ("Laundry Detergent", "household", "laundry", "Free and clear liquid laundry detergent", 12.99),
    ("Paper Towels", "household", "paper", "Select-a-size paper towels", 8.99),
    ("Toilet Paper", "household", "paper", "Soft two-ply bath tissue", 9.99),
    ("Compostable Trash Bags", "household", "cleaning", "Compostable kitchen trash bags", 7.99),
    ("Beeswax Food Wraps", "household", "kitchen", "Reusable beeswax wraps to replace plastic film", 14.99),
    ("Soy Candle", "household", "home", "Hand-poured soy candle, fig and cedar", 18.99),
    ("Fresh Cut Flowers", "household", "floral", "Seasonal mixed bouquet", 14.99),
]

BRANDS: dict[str, list[str]] = {
    "cheese": ["Société", "Papillon", "Fromagerie Marcel", "Alpine Dairy", "Cave Select", "Murray's", "Old Country Creamery"],
    "bakery": ["House Bakery", "Mancini's", "Bread Works", "Le Petit Four", "Strip District Bakers"],
    "produce": ["Local Farm", "Organic Valley Farms", "Hillside Growers", "Three Rivers Produce"],
    "wine": ["Domaine Laurent", "Château Belair", "Bodega Luna", "Tenuta Rossi", "Willow Creek Cellars", "Casa Verde"],
    "deli": ["Deli Counter", "Salumeria Italia", "Boar's Head", "Smokehouse Co."],
    "beverages": ["La Prima Espresso", "Commonplace", "Three Rivers", "East End Brewing", "Penn Brewery"],
    "pantry": ["Colavita", "De Cecco", "Rao's", "Stonewall Kitchen", "Market Pantry", "Mutti"],
    "dairy": ["Turner's", "Fage", "Kerrygold", "Hillside Dairy"],
    "meat": ["Butcher's Block", "Strip District Meats", "Heritage Farm"],
    "seafood": ["Wholey's", "Coastal Catch"],
    "frozen": ["Talenti", "Freezer Select", "Market Pantry"],
    "household": ["Seventh Generation", "Mrs. Meyer's", "Home Basics", "Bee's Wrap"],
}

SIZES: dict[str, list[tuple[str, float]]] = {
    "cheese": [("100 g", 0.55), ("200 g", 1.0), ("400 g", 1.85), ("1 lb", 2.1)],
    "bakery": [("single", 1.0), ("4-pack", 3.3), ("6-pack", 4.6), ("family size", 1.9)],
    "produce": [("1 lb", 1.0), ("2 lb bag", 1.8), ("3 lb bag", 2.5), ("each", 0.6)],
    "wine": [("750 ml", 1.0), ("375 ml", 0.55), ("1.5 l magnum", 2.1), ("6-bottle case", 5.6)],
    "deli": [("1/4 lb", 0.5), ("1/2 lb", 1.0), ("1 lb", 1.9), ("party tray", 4.2)],
    "beverages": [("12 oz", 1.0), ("32 oz", 2.1), ("6-pack", 2.6), ("12-pack", 4.6)],
    "pantry": [("8 oz", 0.7), ("16 oz", 1.0), ("32 oz", 1.8), ("value pack", 2.6)],
    "dairy": [("half gallon", 1.0), ("quart", 0.6), ("gallon", 1.7), ("dozen", 1.0)],
    "meat": [("1 lb", 1.0), ("2 lb", 1.9), ("family pack", 2.8)],
    "seafood": [("1/2 lb", 0.6), ("1 lb", 1.0), ("2 lb", 1.9)],
    "frozen": [("pint", 1.0), ("quart", 1.7), ("family size", 2.2)],
    "household": [("single", 1.0), ("2-pack", 1.8), ("bulk pack", 3.5)],
}

ORIGIN_NOTES = [
    "Curated by our in-store specialists.",
    "A customer favourite in our Pittsburgh stores.",
    "Pairs well with a crusty baguette and a glass of wine.",
    "Sourced from small producers.",
    "Great for entertaining and holiday tables.",
    "Keep refrigerated once opened.",
    "Staff pick this season.",
    "Imported directly from the producer.",
]

# (store neighbourhood, city, region, timezone, sales tax rate)
STORE_LOCATIONS: list[tuple[str, str, str, str, float]] = [
    (n, "Pittsburgh", "Western Pennsylvania", "America/New_York", 0.07)
    for n in [
        "Shadyside", "East Liberty", "Squirrel Hill", "Lawrenceville", "Strip District", "Oakland",
        "Bloomfield", "Mount Washington", "South Side Flats", "Highland Park", "Regent Square",
        "Point Breeze", "Polish Hill", "Garfield", "Friendship", "North Shore", "Troy Hill",
        "Brookline", "Greenfield", "Morningside", "Stanton Heights", "Allegheny West", "Manchester",
        "Beechview", "Dormont", "Mount Lebanon", "Sewickley", "Fox Chapel", "Wexford", "Bethel Park",
        "Cranberry Township", "Monroeville", "Robinson", "Upper St. Clair", "Aspinwall",
        "Millvale", "Sharpsburg", "Carnegie", "Crafton", "Edgewood",
    ]
] + [
    (n, "Philadelphia", "Eastern Pennsylvania", "America/New_York", 0.08)
    for n in ["Rittenhouse", "Fishtown", "Northern Liberties", "Old City", "Manayunk", "Chestnut Hill",
              "Queen Village", "Graduate Hospital", "Fairmount", "University City"]
] + [
    (n, "Cleveland", "Ohio", "America/New_York", 0.08)
    for n in ["Ohio City", "Tremont", "Little Italy", "Gordon Square", "Shaker Heights", "Lakewood",
              "Cleveland Heights", "University Circle"]
] + [
    (n, "Columbus", "Ohio", "America/New_York", 0.075)
    for n in ["Short North", "German Village", "Clintonville", "Italian Village", "Grandview Heights",
              "Bexley"]
] + [
    (n, "Chicago", "Illinois", "America/Chicago", 0.1025)
    for n in ["Wicker Park", "Lincoln Park", "Logan Square", "Andersonville", "Hyde Park", "Pilsen",
              "Lakeview", "West Loop", "Bucktown", "Evanston"]
] + [
    (n, "Minneapolis", "Minnesota", "America/Chicago", 0.08025)
    for n in ["Uptown", "Northeast", "Linden Hills", "Longfellow", "North Loop"]
] + [
    (n, "Denver", "Colorado", "America/Denver", 0.0881)
    for n in ["LoDo", "Highlands", "Capitol Hill", "Cherry Creek", "Washington Park", "RiNo"]
] + [
    (n, "Phoenix", "Arizona", "America/Phoenix", 0.086)
    for n in ["Arcadia", "Roosevelt Row", "Biltmore", "Tempe", "Scottsdale Old Town"]
] + [
    (n, "Portland", "Oregon", "America/Los_Angeles", 0.0)
    for n in ["Pearl District", "Alberta Arts", "Hawthorne", "Sellwood", "Mississippi Avenue"]
] + [
    (n, "Seattle", "Washington", "America/Los_Angeles", 0.1035)
    for n in ["Capitol Hill Seattle", "Ballard", "Fremont", "Queen Anne", "Wallingford"]
]

# month-day of days where stores see extra traffic (eves, long weekends) or close.
US_PEAK_DAYS = {"02-14", "03-17", "04-04", "04-05", "05-09", "05-22", "05-23", "06-20", "07-03",
                "09-04", "10-31", "11-25", "11-26", "11-27", "12-20", "12-21", "12-22", "12-23",
                "12-24", "12-31"}
US_CLOSED_DAYS = {"01-01", "07-04", "11-26", "12-25"}
BR_HOLIDAYS = {"01-01", "02-16", "02-17", "04-03", "04-21", "05-01", "06-04", "09-07", "10-12",
               "11-02", "11-15", "11-20", "12-25"}

# formal first name -> nicknames (pt-BR and en-US)
NICKNAMES: dict[str, list[str]] = {
    "Roberto": ["Beto"], "Robert": ["Bob", "Rob", "Bobby"], "José": ["Zé"], "Francisco": ["Chico"],
    "Antônio": ["Toninho", "Tonho"], "Eduardo": ["Dudu", "Edu"], "Fernanda": ["Nanda"],
    "Gabriel": ["Biel", "Gabi"], "Gabriela": ["Gabi"], "Guilherme": ["Gui"], "Rafael": ["Rafa"],
    "Rafaela": ["Rafa"], "Luiz": ["Lula"], "Luís": ["Lu"], "Mariana": ["Mari"], "Maria": ["Mari"],
    "Beatriz": ["Bia"], "Felipe": ["Lipe"], "Alexandre": ["Alê", "Xande"], "Ricardo": ["Rick"],
    "Rodrigo": ["Digo"], "Leonardo": ["Léo"], "Leandro": ["Léo"], "Vinicius": ["Vini"],
    "Vinícius": ["Vini"], "Henrique": ["Rique"], "Matheus": ["Teteu"], "Isabela": ["Isa", "Bela"],
    "Isabella": ["Isa", "Bella"], "Carolina": ["Carol"], "Caroline": ["Carol"], "Daniela": ["Dani"],
    "Daniel": ["Dani"], "Patrícia": ["Paty"], "Juliana": ["Ju"], "Júlia": ["Ju"], "Larissa": ["Lari"],
    "Fernando": ["Nando"], "Marcelo": ["Celo"], "Thiago": ["Thi"], "Gustavo": ["Guga", "Gus"],
    "Pedro": ["Pedrinho"], "Paulo": ["Paulinho"], "João": ["Joãozinho"], "Ana": ["Aninha"],
    "Camila": ["Cami"], "Letícia": ["Lelê"], "Vitória": ["Vivi"], "Emanuelly": ["Manu"],
    "Emanuel": ["Manu"], "Manuela": ["Manu"], "Samuel": ["Samu"], "Lorenzo": ["Enzo"],
    "William": ["Bill", "Will"], "Richard": ["Rick", "Dick"], "James": ["Jim", "Jimmy"],
    "Michael": ["Mike"], "Elizabeth": ["Liz", "Beth"], "Katherine": ["Kate", "Katie"],
    "Jennifer": ["Jen"], "Christopher": ["Chris"], "Margaret": ["Maggie", "Peggy"], "Thomas": ["Tom"],
    "Joseph": ["Joe"], "Daniel ": ["Dan"], "Matthew": ["Matt"], "Anthony": ["Tony"],
    "Jessica": ["Jess"], "Samantha": ["Sam"], "Benjamin": ["Ben"], "Nicholas": ["Nick"],
    "Patricia": ["Pat", "Trish"], "Steven": ["Steve"], "Andrew": ["Andy", "Drew"],
}

COMPANY_SUFFIX_SWAPS: list[tuple[str, str]] = [
    (" Ltda.", " Limitada"), (" Ltda", " Limitada"), (" S.A.", " SA"), (" S/A", " S.A."),
    (" e Filhos", " & Filhos"), (" Corporation", " Corp"), (" Corp.", " Corporation"),
    (" Inc.", " Incorporated"), (" Inc", " Inc."), (" LLC", " L.L.C."), (" Ltd", " Limited"),
    (" Group", " Grp"), (" Company", " Co."), (" and ", " & "),
]
