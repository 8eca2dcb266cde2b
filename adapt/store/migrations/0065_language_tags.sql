-- Language tags in canonical BCP 47 form (adapt.languages): 'PT_br' -> 'pt-BR', 'EN' -> 'en', the
-- common three-letter codes -> two letters. Rows written by older versions compared raw strings; the
-- application normalises every tag it writes from now on. Portable SQL (SQLite and PostgreSQL).
UPDATE resources SET language = lower(substr(language, 1, 2)) || '-' || upper(substr(language, 4, 2))
    WHERE length(language) = 5 AND substr(language, 3, 1) IN ('-', '_');
UPDATE resources SET language = lower(language) WHERE length(language) IN (2, 3);
UPDATE resources SET language = CASE language WHEN 'por' THEN 'pt' WHEN 'eng' THEN 'en' WHEN 'spa' THEN 'es'
    WHEN 'fra' THEN 'fr' WHEN 'fre' THEN 'fr' WHEN 'cat' THEN 'ca' WHEN 'glg' THEN 'gl' WHEN 'deu' THEN 'de'
    WHEN 'ger' THEN 'de' ELSE language END WHERE length(language) = 3;
UPDATE suggestions SET target_language = lower(substr(target_language, 1, 2)) || '-' || upper(substr(target_language, 4, 2))
    WHERE length(target_language) = 5 AND substr(target_language, 3, 1) IN ('-', '_');
UPDATE suggestions SET target_language = lower(target_language) WHERE length(target_language) IN (2, 3);
UPDATE suggestions SET target_language = CASE target_language WHEN 'por' THEN 'pt' WHEN 'eng' THEN 'en'
    WHEN 'spa' THEN 'es' WHEN 'fra' THEN 'fr' WHEN 'fre' THEN 'fr' WHEN 'cat' THEN 'ca' WHEN 'glg' THEN 'gl'
    WHEN 'deu' THEN 'de' WHEN 'ger' THEN 'de' ELSE target_language END WHERE length(target_language) = 3;
